import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

export const inventoryConfigSchema = databaseConfigSchema.extend({
  SEED_ON_EMPTY: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  /** How often held reservations past their expiry are released. */
  RESERVATION_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
});
export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;
