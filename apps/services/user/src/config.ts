import { z } from "zod";

export const userConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().startsWith("file:", "must be a SQLite file: URL").optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(720),
});
export type UserConfig = z.infer<typeof userConfigSchema>;
