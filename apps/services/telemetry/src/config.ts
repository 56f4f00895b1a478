import { z } from "zod";

export const telemetryConfigSchema = z.object({
  /** Spans kept in memory; past it the oldest traces are dropped, so memory stays flat. */
  TELEMETRY_MAX_SPANS: z.coerce.number().int().min(100).max(5_000_000).default(50_000),
  OTLP_MAX_BODY_BYTES: z.coerce.number().int().min(1_000).default(5_000_000),
});
