import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

export const cartConfigSchema = databaseConfigSchema.extend({
  /** Deadline for calls to product and inventory: the cart page degrades instead of waiting. */
  DOWNSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1_500),
});
export type CartConfig = z.infer<typeof cartConfigSchema>;
