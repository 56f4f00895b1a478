import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

export const orderConfigSchema = databaseConfigSchema.extend({
  /** Deadline of one charge call; a slower processor is retried with the same idempotency key. */
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  PAYMENT_ATTEMPTS: z.coerce.number().int().min(1).max(5).default(3),
  DOWNSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  /** How often stuck sagas are resumed and the email outbox is drained. */
  RECOVERY_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  /** A saga step untouched for this long belongs to a crashed or timed-out checkout. */
  SAGA_STALE_MS: z.coerce.number().int().min(100).default(15_000),
  /** Checkout attempts one account may start in the window: a stolen session cannot test cards by the thousand. */
  CHECKOUT_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(10),
  CHECKOUT_LIMIT_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(10 * 60_000),
});
export type OrderConfig = z.infer<typeof orderConfigSchema>;
