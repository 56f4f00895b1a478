import { z } from "zod";
import { recentRequests } from "../graph";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** At most this many past requests are replayed to a client that asks for them with `sinceMs`. */
const MAX_REPLAY = 5_000;

/** The live stream of requests, for the map's moving dots: SSE batches at most every 50 ms. */
export const liveRouter = createTRPCRouter({
  requests: publicProcedure
    .input(z.object({ sinceMs: z.number().nonnegative().optional() }).optional())
    .subscription(({ ctx, input, signal }) => {
      const replay = input?.sinceMs === undefined ? undefined : recentRequests(ctx.map, input.sinceMs, MAX_REPLAY);
      return ctx.live.stream(signal, replay);
    }),
});
