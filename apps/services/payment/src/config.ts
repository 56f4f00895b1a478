import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

const milliseconds = (max: number) => z.coerce.number().int().min(0).max(max);

export const paymentConfigSchema = databaseConfigSchema.extend({
  /** Extra time every charge takes, for the lab's "slow dependency" experiments. */
  PAYMENT_LATENCY_MS: milliseconds(60_000).default(0),
  /** How long the slow test card (4000 0000 0000 6975) keeps a charge processing. */
  PAYMENT_SLOW_CARD_DELAY_MS: milliseconds(600_000).default(5_000),
  /** How often charges abandoned by a stopped replica (lease run out) are settled; start-up settles them too. */
  PAYMENT_SETTLE_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
});
export type PaymentConfig = z.infer<typeof paymentConfigSchema>;
