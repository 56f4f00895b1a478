import type { IncomingHttpHeaders } from "node:http";
import type { AnyRouter, inferRouterContext } from "@trpc/server";
import { baseConfigSchema, exitOnConfigError, loadConfig, requireServiceTrustInProduction } from "./config";
import { createLogger, type Logger } from "./logger";
import { startServer, type RawRoute } from "./server";

/** What every request's context is built from, whatever the transport (HTTP or in-process). */
export interface RequestInfo {
  readonly headers: IncomingHttpHeaders;
}

/** A started service: the resources it opened and how to use and release them. */
export interface ServiceInstance<TContext> {
  createContext(request: RequestInfo): Promise<TContext>;
  /** Throws when the service cannot serve yet (database unreachable, seed missing). */
  checkReady(): Promise<void>;
  /** Releases what `start` opened (database handles, timers). */
  close(): Promise<void>;
  /**
   * Ends long-lived responses (server-sent event streams) at the start of a graceful shutdown, which
   * otherwise waits for every open request and so for a stream that never ends by itself.
   */
  stopStreams?(): void;
  /** Plain HTTP endpoints beside `/trpc` (the telemetry service's OTLP receiver). */
  readonly routes?: readonly RawRoute[];
}

export interface ServiceDefinition<TRouter extends AnyRouter = AnyRouter> {
  readonly name: string;
  readonly router: TRouter;
  /** Default port when `PORT` is not set. */
  readonly defaultPort: number;
  /** Opens resources (validating its own configuration from `env`) and seeds an empty database. */
  start(env: NodeJS.ProcessEnv, logger: Logger): Promise<ServiceInstance<inferRouterContext<TRouter>>>;
}

/** Identity function that lets TypeScript infer a definition's router and context types. */
export function defineService<TRouter extends AnyRouter>(definition: ServiceDefinition<TRouter>): ServiceDefinition<TRouter> {
  return definition;
}

/**
 * A service's whole `main.ts`: validate configuration, start, serve `/trpc`, and shut down
 * gracefully on SIGTERM or SIGINT.
 */
export async function runService<TRouter extends AnyRouter>(definition: ServiceDefinition<TRouter>): Promise<void> {
  const config = loadConfig(definition.name, baseConfigSchema);
  exitOnConfigError(() => requireServiceTrustInProduction(definition.name, config));
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  // Whom this process's calls to other services are signed as (the client factory reads it).
  process.env.MICROSHOP_SERVICE_NAME ??= definition.name;
  const instance = await definition.start(process.env, logger);
  const server = await startServer({
    name: definition.name,
    host: config.HOST,
    port: config.PORT ?? definition.defaultPort,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    ...(config.SERVICE_TRUSTED_KEYS ? { serviceTrust: { trustedKeys: config.SERVICE_TRUSTED_KEYS } } : {}),
    mounts: [{ path: "/trpc", name: definition.name, router: definition.router, instance }],
    routes: instance.routes ?? [],
  });
  server.closeOnSignals();
}
