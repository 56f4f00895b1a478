import { databaseConfigSchema } from "@microshop/service-runtime/database";
import { z } from "zod";

export const userConfigSchema = databaseConfigSchema.extend({
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(720),
});
export type UserConfig = z.infer<typeof userConfigSchema>;
