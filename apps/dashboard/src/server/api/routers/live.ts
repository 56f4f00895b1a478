import { createTRPCRouter, publicProcedure } from "../trpc";

export const liveRouter = createTRPCRouter({
  /** Every request seen by the telemetry service, in batches, while the tab is open (SSE). */
  requests: publicProcedure.subscription(async function* ({ ctx, signal }) {
    for await (const events of ctx.live.listen(signal)) yield { events };
  }),
});
