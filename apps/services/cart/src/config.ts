import { z } from "zod";

export const cartConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().startsWith("file:", "must be a SQLite file: URL").optional(),
  /** Deadline for calls to product and inventory: the cart page degrades instead of waiting. */
  DOWNSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1_500),
});
export type CartConfig = z.infer<typeof cartConfigSchema>;
