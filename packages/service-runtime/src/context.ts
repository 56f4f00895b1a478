/**
 * Builds the context a service is started with: its name, logger and environment, and clients
 * that route every call through one resolver and sign it with this process's credentials.
 */
import type { ProcessCredentials } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver, type ServiceResolver } from "@microshop/service-client/resolver";
import type { Logger } from "./logger";
import type { ServiceContext } from "./service";

export interface ServiceContextOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Where its calls go. Default: the addresses `env` names (`<NAME>_SERVICE_URLS`), nothing hosted. */
  readonly resolver?: ServiceResolver;
  /** Whom its calls over HTTP are signed as; unsigned without (a service run alone in development). */
  readonly credentials?: ProcessCredentials;
}

export function createServiceContext(name: string, options: ServiceContextOptions): ServiceContext {
  const { env, logger, credentials } = options;
  const resolver = options.resolver ?? createServiceResolver(env);
  return {
    name,
    logger,
    env,
    client: (callee, { timeoutMs } = {}) => createServiceClient(callee, { resolver, credentials, timeoutMs }),
  };
}
