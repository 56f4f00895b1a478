/**
 * The real telemetry service, started in this process on a free port (or a given one), the way
 * `apps/services/telemetry/src/test-server.ts` does: the BFF tests, the synthetic traffic test and
 * `scripts/dev-telemetry.ts` all run against the one implementation of the map, never a copy.
 */
import { createLogger } from "@microshop/service-runtime/logger";
import { startServer } from "@microshop/service-runtime/server";
import { telemetryService } from "@microshop/telemetry-service/service";
import { createServiceContext } from "@microshop/service-runtime/context";

export interface RunningTelemetry {
  /** tRPC endpoint, what TELEMETRY_URL points at. */
  readonly url: string;
  /** OTLP/HTTP endpoint (JSON or protobuf). */
  readonly otlpUrl: string;
  close(): Promise<void>;
}

export interface TelemetryServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The service's configuration (TELEMETRY_MAX_SPANS, OTLP_FORWARD_URL...), as its environment. */
  readonly env?: Record<string, string>;
  /** Silent by default: a test's output is its assertions. */
  readonly logLevel?: "silent" | "info";
}

export async function startTelemetry(options: TelemetryServerOptions = {}): Promise<RunningTelemetry> {
  const logger = createLogger("telemetry", options.logLevel ?? "silent");
  // Only the given settings, not this process's environment: a test must not pick up a developer's
  // OTLP_FORWARD_URL. NODE_ENV is passed on because Next.js's types make it required (unread here).
  const env: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, ...options.env };
  const instance = await telemetryService.start(createServiceContext("telemetry", { env, logger }));
  const server = await startServer({
    name: "telemetry",
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    logger,
    // Short: the service ends its live streams itself at shutdown (stopStreams), so nothing needs
    // waiting out, and a test should never hang on a relay that did not unsubscribe.
    shutdownTimeoutMs: 2_000,
    mounts: [{ path: "/trpc", name: "telemetry", router: telemetryService.router, instance }],
    routes: instance.routes ?? [],
  });
  return { url: `${server.url}/trpc`, otlpUrl: `${server.url}/v1/traces`, close: () => server.close() };
}

/** Posts one OTLP/HTTP JSON export and fails loudly if the service refuses it. */
export async function postOtlpJson(otlpUrl: string, body: unknown): Promise<void> {
  const response = await fetch(otlpUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`The telemetry service refused the export: ${response.status} ${await response.text()}`);
}
