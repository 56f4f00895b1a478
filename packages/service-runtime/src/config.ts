import { versionFlavours } from "@microshop/lab/control-plane";
import { signingKeySchema, trustedKeysSchema } from "@microshop/service-auth";
import { z } from "zod";

/** Exit code for a configuration error (EX_CONFIG from sysexits.h), so supervisors can tell it apart. */
export const EXIT_CONFIG = 78;

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: readonly string[],
  ) {
    super(`Invalid configuration for ${service}:\n${issues.map((line) => `  - ${line}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** The process's environment, read here only: a process entry point validates it and hands it on. */
export const processEnv: NodeJS.ProcessEnv = process.env;

/**
 * Validates the environment once, at start-up. Every variable has a safe local default in the
 * schema, so a fresh clone runs with no `.env` at all.
 */
export function parseConfig<TSchema extends z.ZodType>(
  service: string,
  schema: TSchema,
  env: NodeJS.ProcessEnv = processEnv,
): z.infer<TSchema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const key = issue.path.join(".") || "(environment)";
    const value = typeof issue.path[0] === "string" ? env[issue.path[0]] : undefined;
    // A secret's value never lands in a log, even a wrong one; nor a URL's password (DATABASE_URL).
    const shown =
      typeof issue.path[0] === "string" && /KEY|SECRET|TOKEN/.test(issue.path[0])
        ? "(value hidden)"
        : JSON.stringify(value?.replace(/(\/\/[^/:@\s]*:)[^/@\s]*@/, "$1***@"));
    return `${key}: ${issue.message}${value === undefined ? "" : ` (got ${shown})`}`;
  });
  throw new ConfigError(service, issues);
}

/** `parseConfig` for a process entry point: prints the problem and exits with EXIT_CONFIG. */
export function loadConfig<TSchema extends z.ZodType>(
  service: string,
  schema: TSchema,
  env: NodeJS.ProcessEnv = processEnv,
): z.infer<TSchema> {
  return exitOnConfigError(() => parseConfig(service, schema, env));
}

/** Runs a configuration check of a process entry point: a ConfigError is printed and exits with EXIT_CONFIG. */
export function exitOnConfigError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

/**
 * What a control plane (the supervisor) hands each process it starts, besides its own configuration
 * (`labEnv` of `@microshop/lab/feed`). Without them a process follows no feed and is itself, 1.0.0.
 */
export const labConfigSchema = z.object({
  /** The lab feed's tRPC endpoint (the supervisor's `/lab/trpc`); without it no faults, no endpoint changes. */
  LAB_FEED_URL: z.url("must be the URL of the lab feed's tRPC endpoint").optional(),
  /** This process among its service's replicas (`cart-2`): its spans' `service.instance.id`, its feed reports. Default: the service's name. */
  SERVICE_INSTANCE_ID: z.string().trim().min(1).max(64).optional(),
  /** Its version (`1.1.0`): its spans' `service.version`, and what a deploy shows. */
  SERVICE_VERSION: z.string().trim().min(1).max(64).default("1.0.0"),
  /** What this version does: `good`, `errors` (a bad build), `breaking` (a changed API); see `version-flavour.ts`. */
  SERVICE_FLAVOUR: z.enum(versionFlavours, { error: `one of ${versionFlavours.join(", ")}` }).default("good"),
});
export type LabConfig = z.infer<typeof labConfigSchema>;

/** Variables every service process understands. */
export const baseConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  NODE_ENV: z.enum(["development", "production", "test"]).optional(),
  /**
   * This process's own key, which its calls are signed with as the service it runs (the supervisor
   * makes one key per process; a process holds only its own).
   */
  SERVICE_SIGNING_KEY: signingKeySchema.optional(),
  /**
   * Every process's public key. When set, a service refuses any call without a token from one of
   * them, made for it, from a caller it serves; required in production, optional for a service run
   * alone in development.
   */
  SERVICE_TRUSTED_KEYS: trustedKeysSchema.optional(),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** What `runService` reads: the base variables and the lab's. */
export const serviceConfigSchema = baseConfigSchema.extend(labConfigSchema.shape);

/** Production never runs without service credentials; missing keys are a configuration error. */
export function requireServiceTrustInProduction(
  service: string,
  config: Pick<BaseConfig, "NODE_ENV" | "SERVICE_TRUSTED_KEYS">,
): void {
  if (config.NODE_ENV === "production" && !config.SERVICE_TRUSTED_KEYS) {
    throw new ConfigError(service, [
      "SERVICE_TRUSTED_KEYS: required when NODE_ENV=production, so that only the system's own processes can call this service",
    ]);
  }
}
