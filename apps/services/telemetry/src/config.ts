import { z } from "zod";

export const telemetryConfigSchema = z.object({
  /** Spans kept in memory; past it the oldest traces are dropped, so memory stays flat. */
  TELEMETRY_MAX_SPANS: z.coerce.number().int().min(100).max(5_000_000).default(50_000),
  /**
   * What the kept spans may cost in memory, by the store's estimate; past it the oldest traces go
   * first, so a few huge spans cannot do what the span count alone does not stop. Default 256 MB.
   */
  TELEMETRY_MAX_BYTES: z.coerce.number().int().min(1_000_000).default(256_000_000),
  OTLP_MAX_BODY_BYTES: z.coerce.number().int().min(1_000).default(5_000_000),
  /**
   * Where to send a copy of every accepted export, as received: the full OTLP/HTTP traces URL of
   * Jaeger, Tempo or a Collector (e.g. http://127.0.0.1:4319/v1/traces). Unset or empty: off.
   */
  OTLP_FORWARD_URL: z
    .union([
      z.literal(""),
      z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:4319/v1/traces" }),
    ])
    .optional()
    .transform((url) => url || undefined),
  OTLP_FORWARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
