import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { MAX_WINDOW_SECONDS } from "../second-counts";
import { edgeRequests, nodeDetail, serviceGraph } from "../graph";
import { publicProcedure } from "../trpc";

const windowSeconds = z.number().int().min(1).max(MAX_WINDOW_SECONDS).default(60);
const nodeId = z.string().min(1).max(500);
/** False leaves out the load generator's requests (`microshop.synthetic` = "load"). */
const includeSynthetic = z.boolean().default(true);

/** The service map: nodes and edges over a sliding window, one node in depth, one edge's requests. */
export const mapProcedures = {
  graph: publicProcedure
    .input(
      z
        .object({
          windowSeconds,
          includeSynthetic,
          /** The window of each replica's rate; the graph's own by default. */
          instanceWindowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS).optional(),
        })
        .default({ windowSeconds: 60, includeSynthetic: true }),
    )
    .query(({ ctx, input }) =>
      serviceGraph(ctx.map, ctx.now().getTime(), input.windowSeconds, input, input.instanceWindowSeconds ?? input.windowSeconds),
    ),

  node: publicProcedure.input(z.object({ id: nodeId, windowSeconds, includeSynthetic })).query(({ ctx, input }) => {
    const detail = nodeDetail(ctx.map, input.id, ctx.now().getTime(), input.windowSeconds, input);
    if (!detail) {
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `No node "${input.id}" on the map: no span from or to it has been received`,
      });
    }
    return detail;
  }),

  edge: publicProcedure
    .input(z.object({ source: nodeId, target: nodeId, limit: z.number().int().min(1).max(200).default(50), includeSynthetic }))
    .query(({ ctx, input }) => edgeRequests(ctx.map, input.source, input.target, input.limit, input)),
};
