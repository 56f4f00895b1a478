/**
 * Builds the context a service is started with: its name, identity (instance and version), logger
 * and environment, and clients that route every call through one resolver, sign it with this
 * process's credentials and pass the lab's faults.
 */
import type { ProcessCredentials } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver, type ServiceResolver } from "@microshop/service-client/resolver";
import { labConfigSchema } from "./config";
import type { ProcessLab } from "./lab";
import type { Logger } from "./logger";
import type { ServiceContext } from "./service";

/** Who a process is among its service's replicas. */
export interface ProcessIdentity {
  readonly instance: string;
  readonly version: string;
}

export interface ServiceContextOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Where its calls go. Default: the addresses `env` names (`<NAME>_SERVICE_URLS`), nothing hosted. */
  readonly resolver?: ServiceResolver;
  /** Whom its calls over HTTP are signed as; unsigned without (a service run alone in development). */
  readonly credentials?: ProcessCredentials;
  /** Whom the lab's edge faults see as the caller. Default: the credentials' caller, else the service's name. */
  readonly caller?: string;
  /** The lab's faults and call tallies for every client (`lab.ts`); none without. */
  readonly lab?: ProcessLab;
  /** Default: `SERVICE_INSTANCE_ID` (else the name) and `SERVICE_VERSION` (else 1.0.0) of `env`. */
  readonly identity?: ProcessIdentity;
}

/** The identity `env` gives a process of `name`, with the lab's defaults for what it leaves out. */
export function identityFrom(name: string, env: NodeJS.ProcessEnv): ProcessIdentity {
  const parsed = labConfigSchema.pick({ SERVICE_INSTANCE_ID: true, SERVICE_VERSION: true }).safeParse(env);
  return parsed.success
    ? { instance: parsed.data.SERVICE_INSTANCE_ID ?? name, version: parsed.data.SERVICE_VERSION }
    : { instance: name, version: "1.0.0" };
}

export function createServiceContext(name: string, options: ServiceContextOptions): ServiceContext {
  const { env, logger, credentials, lab } = options;
  const resolver = options.resolver ?? createServiceResolver(env);
  const caller = options.caller ?? credentials?.caller ?? name;
  const identity = options.identity ?? identityFrom(name, env);
  const clientLab = lab ? { faults: lab.faults, tallies: lab.tallies, ...(lab.random ? { random: lab.random } : {}) } : undefined;
  return {
    name,
    instance: identity.instance,
    version: identity.version,
    logger,
    env,
    client: (callee, { timeoutMs } = {}) =>
      createServiceClient(callee, { resolver, credentials, timeoutMs, caller, ...(clientLab ? { lab: clientLab } : {}) }),
  };
}
