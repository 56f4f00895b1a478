import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { serviceGraph } from "../graph";
import type { SpanRecord } from "../otlp";
import { createRouter, publicProcedure } from "../trpc";

function summary(spans: readonly SpanRecord[]) {
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const root = spans.find((s) => !s.parentSpanId || !spans.some((p) => p.spanId === s.parentSpanId)) ?? spans[0]!;
  return {
    traceId: root.traceId,
    rootName: root.name,
    rootService: root.service,
    startMs: start,
    durationMs: end - start,
    spanCount: spans.length,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    error: spans.some((s) => s.error),
  };
}

export const appRouter = createRouter({
  graph: publicProcedure
    .input(z.object({ windowSeconds: z.number().int().min(1).max(3_600).default(60) }).default({ windowSeconds: 60 }))
    .query(({ ctx, input }) => serviceGraph(ctx.store, ctx.now().getTime(), input.windowSeconds)),

  traces: createRouter({
    list: publicProcedure
      .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
      .query(({ ctx, input }) => ctx.store.recentTraces(input.limit).map(summary)),

    get: publicProcedure.input(z.object({ traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, "a trace id is 32 hex digits") })).query(({ ctx, input }) => {
      const spans = ctx.store.trace(input.traceId);
      if (!spans) throw new TRPCError({ code: "NOT_FOUND", message: "That trace is not (or no longer) in memory" });
      // Waterfall order: by start time, a parent before its children when they start together.
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const depth = (span: SpanRecord): number => {
        let d = 0;
        for (let parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; parent && d < 1_000; d++) {
          parent = parent.parentSpanId ? byId.get(parent.parentSpanId) : undefined;
        }
        return d;
      };
      return { ...summary(spans), spans: [...spans].sort((a, b) => a.startMs - b.startMs || depth(a) - depth(b)) };
    }),
  }),
});

/** The telemetry service's API, as a type: the dashboard reads the map and traces through it. */
export type TelemetryRouter = typeof appRouter;
