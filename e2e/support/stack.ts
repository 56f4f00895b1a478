import path from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { SupervisorRouter } from "@microshop/supervisor/router";
import { credentialsOf, deriveControlToken } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { defaultServiceUrl, monolithServiceUrl, ports, serviceUrlsEnvName, type ServiceName } from "@microshop/topology";
import type { AnyRouter } from "@trpc/server";
import { transformer } from "@microshop/transformer";

export type StackMode = "microservices" | "monolith";

function readMode(): StackMode {
  const mode = process.env.MICROSHOP_E2E_MODE ?? "microservices";
  if (mode !== "microservices" && mode !== "monolith")
    throw new Error(`MICROSHOP_E2E_MODE must be microservices or monolith, got ${mode}`);
  return mode;
}

export const stackMode: StackMode = readMode();

export type StackDatabase = "sqlite" | "postgres";

function readDatabase(): StackDatabase {
  const db = process.env.MICROSHOP_E2E_DB ?? "sqlite";
  if (db !== "sqlite" && db !== "postgres") throw new Error(`MICROSHOP_E2E_DB must be sqlite or postgres, got ${db}`);
  return db;
}

/** Where the stack under test keeps its data: `--db postgres` runs the checkout journey on Postgres. */
export const stackDatabase: StackDatabase = readDatabase();
/** The supervisor's MICROSHOP_PORT_OFFSET: the stack under test may run beside another one. */
export const portOffset = Number(process.env.MICROSHOP_PORT_OFFSET ?? 0);
export const storefrontUrl = process.env.MICROSHOP_E2E_STOREFRONT_URL ?? `http://127.0.0.1:${ports.storefront + portOffset}`;
export const supervisorUrl = process.env.MICROSHOP_E2E_SUPERVISOR_URL ?? `http://127.0.0.1:${ports.supervisor + portOffset}`;
export const telemetryUrl = `http://127.0.0.1:${ports.telemetry + portOffset}`;
export const dashboardUrl = process.env.MICROSHOP_E2E_DASHBOARD_URL ?? `http://127.0.0.1:${ports.dashboard + portOffset}`;
/** `e2e-<mode>[-postgres]`, or with `-<offset>` for a run beside another stack: data and reports stay apart. */
export const runName = `e2e-${stackMode}${stackDatabase === "postgres" ? "-postgres" : ""}${portOffset ? `-${portOffset}` : ""}`;
export const e2eDataDir = path.resolve(import.meta.dirname, "..", "..", ".data", runName);

/**
 * The root secret of the stack under test (the supervisor takes it from the environment and derives
 * every process's key and its control token from it). A throwaway value for a throwaway stack; a
 * real stack gets a random one per start. Holding it, the tests sign as the process they stand in
 * for, so no test identity needs a place in the services' allow-lists.
 */
export const serviceTokenSecret = process.env.SERVICE_TOKEN_SECRET ?? "microshop-e2e-only-service-token-secret-0123456789";

/** The supervisor's control API: the tests stop and start processes through it, with the dashboard's token. */
export const supervisor = createTRPCClient<SupervisorRouter>({
  links: [
    httpLink({
      url: `${supervisorUrl}/trpc`,
      transformer,
      headers: { authorization: `Bearer ${deriveControlToken(serviceTokenSecret)}` },
    }),
  ],
});

/** Where a service of the stack under test answers tRPC. */
export function serviceUrl(name: ServiceName): string {
  return stackMode === "monolith"
    ? monolithServiceUrl(name, "127.0.0.1", ports.monolith + portOffset)
    : defaultServiceUrl(name, "127.0.0.1", portOffset);
}

/**
 * A service called directly, bypassing the storefront's pages, with the storefront's own key (or
 * another process's): as a compromised process of the system would. Ownership is still checked by
 * the service that owns the data, and the service's allow-list by the runtime.
 */
export function directClient<TRouter extends AnyRouter>(name: ServiceName, caller = "storefront") {
  return createServiceClient<TRouter>(name, {
    resolver: createServiceResolver({ [serviceUrlsEnvName(name)]: serviceUrl(name) }),
    timeoutMs: 10_000,
    credentials: credentialsOf(serviceTokenSecret, caller),
  });
}
