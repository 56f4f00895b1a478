import { sqliteConfigSchema } from "@microshop/service-runtime/sqlite";
import { z } from "zod";

export const userConfigSchema = sqliteConfigSchema.extend({
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(720),
});
export type UserConfig = z.infer<typeof userConfigSchema>;
