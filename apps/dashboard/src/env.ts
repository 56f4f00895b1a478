import { signingKeySchema } from "@microshop/service-auth";
import { z } from "zod";

const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:/.test(value), "must be an http(s) URL");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** The telemetry service's tRPC endpoint: graph, traces and the live request stream. */
  TELEMETRY_URL: httpUrl.default("http://127.0.0.1:4318/trpc"),
  /** The supervisor's control API: process states, stop, start, restart. */
  SUPERVISOR_URL: httpUrl.default("http://127.0.0.1:4000/trpc"),
  /**
   * The control plane's tRPC endpoint (the supervisor's `/control/trpc`): replicas, deploys,
   * faults, load. Unset, the lab's controls say they need the whole stack (`pnpm start` sets it).
   * Its calls carry SUPERVISOR_CONTROL_TOKEN, like the supervisor's.
   */
  CONTROL_PLANE_URL: httpUrl.optional(),
  /** Where the header's "Open the store" link points. */
  STOREFRONT_PUBLIC_URL: httpUrl.default("http://localhost:3000"),
  /** The dashboard's own key (the supervisor makes one per process): its calls to the telemetry service are signed with it. */
  SERVICE_SIGNING_KEY: signingKeySchema.optional(),
  /** The bearer token of the supervisor's control API (the supervisor hands it over). */
  SUPERVISOR_CONTROL_TOKEN: z.string().min(16).optional(),
  /**
   * The address the dashboard listens on (`next start -H`; the supervisor passes both). Loopback by
   * default: only this machine can reach it.
   */
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  /**
   * When set, stop/start/restart need it (the page asks for it once per tab). When not set, they
   * are open only while the dashboard listens on loopback, where only this machine can reach it.
   */
  DASHBOARD_ADMIN_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
  /** Deadline for the map's reads; the map polls every second, so a slow source must not pile up. */
  READ_TIMEOUT_MS: z.coerce.number().int().positive().default(2_500),
  /** Deadline for the process list the map polls every second: a late list is dropped, not waited for. */
  STATUS_TIMEOUT_MS: z.coerce.number().int().positive().default(900),
  /** Deadline for stop/start/restart: a start waits until the process is ready. */
  CONTROL_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * Deadline for the lab's changes: a scale or a rolling deploy answers once every new replica is
   * ready and every old one drained, which can take a few replicas' start-ups.
   */
  LAB_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
});

export type Env = z.infer<typeof envSchema>;

/** Validates the environment; a bad value stops the dashboard at start-up with a readable list. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) throw new Error(`Invalid dashboard environment:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export const env: Env = parseEnv(process.env);
