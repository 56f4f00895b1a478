import path from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { SupervisorRouter } from "@microshop/supervisor/router";
import { createServiceClient } from "@microshop/service-client";
import { defaultServiceUrl, monolithServiceUrl, ports, serviceUrlsEnvName, type ServiceName } from "@microshop/topology";
import type { AnyRouter } from "@trpc/server";
import superjson from "superjson";

export type StackMode = "microservices" | "monolith";

function readMode(): StackMode {
  const mode = process.env.MICROSHOP_E2E_MODE ?? "microservices";
  if (mode !== "microservices" && mode !== "monolith") throw new Error(`MICROSHOP_E2E_MODE must be microservices or monolith, got ${mode}`);
  return mode;
}

export const stackMode: StackMode = readMode();
/** The supervisor's MICROSHOP_PORT_OFFSET: the stack under test may run beside another one. */
export const portOffset = Number(process.env.MICROSHOP_PORT_OFFSET ?? 0);
export const storefrontUrl = process.env.MICROSHOP_E2E_STOREFRONT_URL ?? `http://127.0.0.1:${ports.storefront + portOffset}`;
export const supervisorUrl = process.env.MICROSHOP_E2E_SUPERVISOR_URL ?? `http://127.0.0.1:${ports.supervisor + portOffset}`;
export const telemetryUrl = `http://127.0.0.1:${ports.telemetry + portOffset}`;
export const dashboardUrl = process.env.MICROSHOP_E2E_DASHBOARD_URL ?? `http://127.0.0.1:${ports.dashboard + portOffset}`;
/** `e2e-<mode>`, or `e2e-<mode>-<offset>` for a run beside another stack: data and reports stay apart. */
export const runName = `e2e-${stackMode}${portOffset ? `-${portOffset}` : ""}`;
export const e2eDataDir = path.resolve(import.meta.dirname, "..", "..", ".data", runName);

/** The supervisor's control API: the tests stop and start processes through it, like the dashboard. */
export const supervisor = createTRPCClient<SupervisorRouter>({
  links: [httpLink({ url: `${supervisorUrl}/trpc`, transformer: superjson })],
});

/**
 * The secret the stack under test signs its internal calls with (the supervisor takes it from the
 * environment). A throwaway value for a throwaway stack; a real stack gets a random one per start.
 */
export const serviceTokenSecret = process.env.SERVICE_TOKEN_SECRET ?? "microshop-e2e-only-service-token-secret-0123456789";

/** Where a service of the stack under test answers tRPC. */
export function serviceUrl(name: ServiceName): string {
  return stackMode === "monolith" ? monolithServiceUrl(name, "127.0.0.1", ports.monolith + portOffset) : defaultServiceUrl(name, "127.0.0.1", portOffset);
}

/**
 * A service called directly, bypassing the storefront, with a valid service credential: as a
 * compromised process of the system would. Ownership is still checked by the service that owns the data.
 */
export function directClient<TRouter extends AnyRouter>(name: ServiceName) {
  return createServiceClient<TRouter>(name, {
    env: { [serviceUrlsEnvName(name)]: serviceUrl(name) },
    timeoutMs: 10_000,
    credentials: { secret: serviceTokenSecret, caller: "e2e" },
  });
}
