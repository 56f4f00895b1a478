/**
 * A service's whole `main.ts` is `await runService(definition)`: validate configuration, hand the
 * service its context (its name, logger, environment, and clients signed as itself), serve `/trpc`,
 * and shut down gracefully on SIGTERM or SIGINT.
 */
import type { AnyRouter } from "@trpc/server";
import { baseConfigSchema, exitOnConfigError, loadConfig, processEnv, requireServiceTrustInProduction } from "./config";
import { createServiceContext } from "./context";
import { createLogger, type Logger } from "./logger";
import { startServer, type RunningServer } from "./server";
import type { ServiceDefinition } from "./service";
import { closeOnSignals } from "./signals";

/** Starts `definition` as its own process would, from `env`, and serves it: `runService` without the signals. */
export async function startService<TRouter extends AnyRouter>(
  definition: ServiceDefinition<TRouter>,
  env: NodeJS.ProcessEnv,
): Promise<{ readonly server: RunningServer; readonly logger: Logger }> {
  const config = loadConfig(definition.name, baseConfigSchema, env);
  exitOnConfigError(() => requireServiceTrustInProduction(definition.name, config));
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  const context = createServiceContext(definition.name, {
    env,
    logger,
    // Its calls are signed as itself, with the one key the supervisor handed this process.
    credentials: config.SERVICE_SIGNING_KEY ? { caller: definition.name, signingKey: config.SERVICE_SIGNING_KEY } : undefined,
  });
  const instance = await definition.start(context);
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
  return { server, logger };
}

export async function runService<TRouter extends AnyRouter>(definition: ServiceDefinition<TRouter>): Promise<void> {
  const { server, logger } = await startService(definition, processEnv);
  closeOnSignals(server, logger);
}
