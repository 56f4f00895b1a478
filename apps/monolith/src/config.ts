import { baseConfigSchema } from "@microshop/service-runtime/config";
import { z } from "zod";

export const monolithConfigSchema = baseConfigSchema.extend({
  /** Wins over PORT, so one environment can hold both the monolith's and a service's port. */
  MONOLITH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
});
export type MonolithConfig = z.infer<typeof monolithConfigSchema>;
