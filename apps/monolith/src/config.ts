import { baseConfigSchema, labConfigSchema } from "@microshop/service-runtime/config";
import { z } from "zod";

// The lab's variables too: the monolith follows the feed as one process (instance `monolith`).
export const monolithConfigSchema = baseConfigSchema.extend(labConfigSchema.shape).extend({
  /** Wins over PORT, so one environment can hold both the monolith's and a service's port. */
  MONOLITH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
});
export type MonolithConfig = z.infer<typeof monolithConfigSchema>;
