import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

export const productConfigSchema = databaseConfigSchema.extend({
  SEED_ON_EMPTY: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
});
export type ProductConfig = z.infer<typeof productConfigSchema>;
