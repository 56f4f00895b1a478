import { registerLocalService, unregisterLocalService } from "@microshop/service-client";
import type { Logger } from "@microshop/service-runtime/logger";
import { startServer, type Mount, type RunningServer } from "@microshop/service-runtime/server";
import type { ServiceDefinition } from "@microshop/service-runtime/service";
import { startOrder, type ServiceName } from "@microshop/topology";

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
}

/**
 * Starts every service in dependency order inside this process and serves each router at
 * `/<name>/trpc`. Each service is registered as local before its dependents start, so their
 * `createServiceClient` calls go in-process; each still opens its own database file.
 */
export async function startMonolith(options: StartMonolithOptions): Promise<RunningServer> {
  const { logger } = options;
  // One DATABASE_URL cannot serve several services: each derives <DATA_DIR>/<name>.db instead.
  const env = { ...options.env };
  if (env.DATABASE_URL) {
    logger.warn("DATABASE_URL is ignored in the monolith: each service opens <DATA_DIR>/<name>.db");
    delete env.DATABASE_URL;
  }

  const mounts: Mount[] = [];
  try {
    for (const name of startOrder()) {
      const definition = options.definitions[name];
      const instance = await definition.start(env, options.loggerFor(name));
      registerLocalService(name, { router: definition.router, createContext: () => instance.createContext({ headers: {} }) });
      mounts.push({ path: `/${name}/trpc`, name, router: definition.router, instance });
    }
  } catch (error) {
    await Promise.allSettled(mounts.map((mount) => mount.instance.close()));
    throw error;
  }

  const server = await startServer({
    name: "monolith",
    host: options.host,
    port: options.port,
    logger,
    mounts,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.shutdownTimeoutMs ? { shutdownTimeoutMs: options.shutdownTimeoutMs } : {}),
    ...(options.trustedKeys ? { serviceTrust: { trustedKeys: options.trustedKeys } } : {}),
  });
  // closeOnSignals exits the process, so only an explicit close (tests) needs to unregister.
  return {
    url: server.url,
    port: server.port,
    get inFlight() {
      return server.inFlight;
    },
    closeOnSignals: () => server.closeOnSignals(),
    close: async () => {
      await server.close();
      for (const mount of mounts) unregisterLocalService(mount.name as ServiceName);
    },
  };
}
