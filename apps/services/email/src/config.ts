import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

export const emailConfigSchema = databaseConfigSchema.extend({
  /** When set (smtp://user:pass@host:port), emails also go out through this server. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  EMAIL_FROM: z.string().min(3).default("Microshop <orders@microshop.local>"),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** A message claimed for longer than this belonged to a process that died mid-send: it is queued again. */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1_000).default(60_000),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;
