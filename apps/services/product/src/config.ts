import { sqliteConfigSchema } from "@microshop/service-runtime/sqlite";
import { z } from "zod";

export const productConfigSchema = sqliteConfigSchema.extend({
  SEED_ON_EMPTY: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
});
export type ProductConfig = z.infer<typeof productConfigSchema>;
