import { z } from "zod";

export const inventoryConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().startsWith("file:", "must be a SQLite file: URL").optional(),
  SEED_ON_EMPTY: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  /** How often held reservations past their expiry are released. */
  RESERVATION_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
});
export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;
