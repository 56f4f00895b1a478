import { z } from "zod";
import { fromDownstream } from "../downstream-error";
import { adminProcedure, createTRPCRouter, deadline } from "../trpc";

const processInput = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, "a process name is lower-case letters, digits and dashes, like inventory"),
});

/** Stop, start and restart a process through the supervisor; each resolves once it is done. */
export const processesRouter = createTRPCRouter({
  stop: adminProcedure.input(processInput).mutation(async ({ ctx, input }) => {
    try {
      return await ctx.supervisor.processes.stop.mutate(input, deadline(ctx.config.CONTROL_TIMEOUT_MS));
    } catch (error) {
      throw fromDownstream(error, "supervisor");
    }
  }),
  start: adminProcedure.input(processInput).mutation(async ({ ctx, input }) => {
    try {
      return await ctx.supervisor.processes.start.mutate(input, deadline(ctx.config.CONTROL_TIMEOUT_MS));
    } catch (error) {
      throw fromDownstream(error, "supervisor");
    }
  }),
  restart: adminProcedure.input(processInput).mutation(async ({ ctx, input }) => {
    try {
      return await ctx.supervisor.processes.restart.mutate(input, deadline(ctx.config.CONTROL_TIMEOUT_MS));
    } catch (error) {
      throw fromDownstream(error, "supervisor");
    }
  }),
});
