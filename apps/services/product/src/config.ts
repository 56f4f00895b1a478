import { z } from "zod";

export const productConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().startsWith("file:", "must be a SQLite file: URL").optional(),
  SEED_ON_EMPTY: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
});
export type ProductConfig = z.infer<typeof productConfigSchema>;
