import { z } from "zod";
import { fromDownstream } from "../downstream-error";
import { createTRPCRouter, deadline, publicProcedure } from "../trpc";

export const tracesRouter = createTRPCRouter({
  /** Recent traces, newest first, filtered by operation text, status and minimum duration. */
  list: publicProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(60),
          operation: z.string().trim().max(200).optional(),
          status: z.enum(["ok", "error"]).optional(),
          minDurationMs: z.number().min(0).max(3_600_000).optional(),
          service: z.string().max(200).optional(),
        })
        .default({ limit: 60 }),
    )
    .query(async ({ ctx, input }) => {
      const filter = { ...input, operation: input.operation === "" ? undefined : input.operation };
      try {
        return await ctx.telemetry.traces.list.query(filter, deadline(ctx.config.READ_TIMEOUT_MS));
      } catch (error) {
        throw fromDownstream(error, "telemetry");
      }
    }),

  /** One trace with all its spans, in waterfall order. */
  get: publicProcedure
    .input(z.object({ traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, "a trace id is 32 hex digits") }))
    .query(async ({ ctx, input }) => {
      try {
        return await ctx.telemetry.traces.get.query(input, deadline(ctx.config.READ_TIMEOUT_MS));
      } catch (error) {
        throw fromDownstream(error, "telemetry");
      }
    }),
});
