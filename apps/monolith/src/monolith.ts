import type { ProcessIdentity, ServiceContextOptions } from "@microshop/service-runtime/context";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { hostService } from "@microshop/service-runtime/host";
import type { Logger } from "@microshop/service-runtime/logger";
import type { Mount } from "@microshop/service-runtime/routing";
import { followLabFeed } from "@microshop/service-runtime/run";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import type { ServiceDefinition } from "@microshop/service-runtime/service";
import { databaseUrlEnvName, startOrder, type ServiceName } from "@microshop/topology";

export interface StartMonolithOptions {
  readonly definitions: Readonly<Record<ServiceName, ServiceDefinition>>;
  readonly env: NodeJS.ProcessEnv;
  readonly host: string;
  readonly port: number;
  /** The monolith's own logger (server, warnings). */
  readonly logger: Logger;
  /** Each service logs under its own name, as it does in its own process. */
  readonly loggerFor: (service: ServiceName) => Logger;
  readonly maxBodyBytes?: number;
  readonly shutdownTimeoutMs?: number;
  /**
   * Every process's public key (`SERVICE_TRUSTED_KEYS`): when set, a call over HTTP (from the
   * storefront) must carry a token made for the service it calls, from a caller that service serves.
   * Calls between the services inside stay in-process and carry nothing.
   */
  readonly trustedKeys?: string;
  /** The monolith's own key: a call to a service it does not host goes over HTTP, signed as "monolith". */
  readonly credentials?: ServiceContextOptions["credentials"];
  /**
   * The lab feed (`LAB_FEED_URL`): one agent for the process, whose faults apply to the calls
   * between the services inside (each edge named by its service, `order` → `payment`, as in
   * microservices, so one experiment runs in both modes) and whose capacity faults to their routers.
   */
  readonly feedUrl?: string;
  /** Who the process is; default instance `monolith`, version 1.0.0. */
  readonly identity?: ProcessIdentity;
}

/** The process's own name: it signs what leaves the process, and reports to the lab feed. */
const processName = "monolith";

/**
 * Starts every service in dependency order inside this process and serves each router at
 * `/<name>/trpc`. One resolver hosts every router, so a call from one service to another goes
 * in-process (decided at each call: start order does not matter); each still opens its own database file.
 */
export async function startMonolith(options: StartMonolithOptions): Promise<RunningServer> {
  const { logger } = options;
  // One DATABASE_URL cannot serve several services: each opens its own <NAME>_DATABASE_URL when
  // given (`--db postgres`), else derives <DATA_DIR>/<name>.db.
  const env = { ...options.env };
  if (env.DATABASE_URL) {
    logger.warn("DATABASE_URL is ignored in the monolith: each service opens <NAME>_DATABASE_URL or <DATA_DIR>/<name>.db");
    delete env.DATABASE_URL;
  }

  const resolver = createServiceResolver(env);
  const identity = options.identity ?? { instance: processName, version: "1.0.0" };
  const followed = followLabFeed(
    { LAB_FEED_URL: options.feedUrl },
    { instance: identity.instance, credentials: options.credentials, resolver, logger },
  );
  const mounts: Mount[] = [];
  try {
    for (const name of startOrder()) {
      const definition = options.definitions[name];
      const ownDatabase = env[databaseUrlEnvName(name)];
      const instance = await hostService(definition, {
        env: ownDatabase ? { ...env, DATABASE_URL: ownDatabase } : env,
        logger: options.loggerFor(name),
        resolver,
        credentials: options.credentials,
        // An edge fault names the service that calls, inside the monolith as outside it.
        caller: name,
        identity,
        ...(followed ? { lab: followed.lab } : {}),
      });
      mounts.push({ path: `/${name}/trpc`, name, router: definition.router, instance });
    }
  } catch (error) {
    await followed?.stop();
    await Promise.allSettled(mounts.map((mount) => mount.instance.close()));
    throw error;
  }

  return startServer({
    name: "monolith",
    host: options.host,
    port: options.port,
    logger,
    mounts,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.shutdownTimeoutMs ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
    ...(options.trustedKeys ? { serviceTrust: { trustedKeys: options.trustedKeys } } : {}),
    ...(followed ? { lab: followed.lab, onClose: () => followed.stop() } : {}),
  });
}
