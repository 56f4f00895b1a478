import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { traceMatcher } from "../trace-filter";
import { summarize, waterfall } from "../trace-summary";
import { createTRPCRouter, publicProcedure } from "../trpc";

const listInput = z
  .object({
    limit: z.number().int().min(1).max(500).default(50),
    operation: z.string().min(1).max(200).optional(),
    status: z.enum(["ok", "error"]).optional(),
    minDurationMs: z.number().nonnegative().optional(),
    testId: z.string().min(1).max(200).optional(),
    service: z.string().min(1).max(500).optional(),
  })
  .default({ limit: 50 });

/** The traces still in memory: a filtered list (newest first) and one trace as a waterfall. */
export const tracesRouter = createTRPCRouter({
  list: publicProcedure
    .input(listInput)
    .query(({ ctx, input: { limit, ...filter } }) => ctx.store.findTraces(traceMatcher(filter), limit).map(summarize)),

  get: publicProcedure
    .input(z.object({ traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, "a trace id is 32 hex digits") }))
    .query(({ ctx, input }) => {
      const spans = ctx.store.trace(input.traceId);
      if (!spans) throw new TRPCError({ code: "NOT_FOUND", message: "That trace is not (or no longer) in memory" });
      return { ...summarize(spans), spans: waterfall(spans) };
    }),
});
