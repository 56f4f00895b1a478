/**
 * A service's whole `main.ts` is `await runService(definition)`: validate configuration, hand the
 * service its context (its name and identity, logger, environment, and clients signed as itself),
 * follow the lab feed when there is one, serve `/trpc`, and shut down gracefully on SIGTERM or SIGINT.
 */
import type { ProcessCredentials } from "@microshop/service-auth";
import { createServiceResolver, type ServiceResolver } from "@microshop/service-client/resolver";
import { createCallTallies } from "@microshop/service-client/tallies";
import type { AnyRouter } from "@trpc/server";
import {
  exitOnConfigError,
  loadConfig,
  processEnv,
  requireServiceTrustInProduction,
  serviceConfigSchema,
  type LabConfig,
} from "./config";
import { createServiceContext } from "./context";
import { createProcessLab, type ProcessLab } from "./lab";
import { startLabAgent } from "./lab-agent";
import { createLogger, type Logger } from "./logger";
import { startServer, type RunningServer } from "./server";
import type { ServiceDefinition } from "./service";
import { closeOnSignals } from "./signals";

export interface FollowedLab {
  readonly lab: ProcessLab;
  stop(): Promise<void>;
}

/**
 * The lab for a process whose environment names a feed (`LAB_FEED_URL`): an agent that follows it
 * into `resolver` and the faults it hands out; undefined without a feed, and nothing changes.
 */
export function followLabFeed(
  config: Pick<LabConfig, "LAB_FEED_URL">,
  options: {
    readonly instance: string;
    readonly credentials: ProcessCredentials | undefined;
    readonly resolver: ServiceResolver;
    readonly logger: Logger;
  },
): FollowedLab | undefined {
  if (!config.LAB_FEED_URL) return undefined;
  const tallies = createCallTallies();
  const agent = startLabAgent({
    feedUrl: config.LAB_FEED_URL,
    instance: options.instance,
    resolver: options.resolver,
    tallies,
    logger: options.logger,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return { lab: createProcessLab(agent.faults, { tallies }), stop: () => agent.stop() };
}

/** Starts `definition` as its own process would, from `env`, and serves it: `runService` without the signals. */
export async function startService<TRouter extends AnyRouter>(
  definition: ServiceDefinition<TRouter>,
  env: NodeJS.ProcessEnv,
): Promise<{ readonly server: RunningServer; readonly logger: Logger }> {
  const config = loadConfig(definition.name, serviceConfigSchema, env);
  exitOnConfigError(() => requireServiceTrustInProduction(definition.name, config));
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  // Its calls are signed as itself, with the one key the supervisor handed this process.
  const credentials = config.SERVICE_SIGNING_KEY
    ? { caller: definition.name, signingKey: config.SERVICE_SIGNING_KEY }
    : undefined;
  const identity = { instance: config.SERVICE_INSTANCE_ID ?? definition.name, version: config.SERVICE_VERSION };
  const resolver = createServiceResolver(env);
  const followed = followLabFeed(config, { instance: identity.instance, credentials, resolver, logger });
  try {
    const context = createServiceContext(definition.name, {
      env,
      logger,
      resolver,
      credentials,
      identity,
      ...(followed ? { lab: followed.lab } : {}),
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
      version: { version: identity.version, flavour: config.SERVICE_FLAVOUR },
      ...(followed ? { lab: followed.lab, onClose: () => followed.stop() } : {}),
    });
    return { server, logger };
  } catch (error) {
    await followed?.stop();
    throw error;
  }
}

export async function runService<TRouter extends AnyRouter>(definition: ServiceDefinition<TRouter>): Promise<void> {
  const { server, logger } = await startService(definition, processEnv);
  closeOnSignals(server, logger);
}
