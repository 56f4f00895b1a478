import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { MAX_WINDOW_SECONDS } from "../edge-stats";
import { edgeRequests, nodeDetail, serviceGraph } from "../graph";
import { publicProcedure } from "../trpc";

const windowSeconds = z.number().int().min(1).max(MAX_WINDOW_SECONDS).default(60);
const nodeId = z.string().min(1).max(500);

/** The service map: nodes and edges over a sliding window, one node in depth, one edge's requests. */
export const mapProcedures = {
  graph: publicProcedure
    .input(z.object({ windowSeconds }).default({ windowSeconds: 60 }))
    .query(({ ctx, input }) => serviceGraph(ctx.map, ctx.now().getTime(), input.windowSeconds)),

  node: publicProcedure.input(z.object({ id: nodeId, windowSeconds })).query(({ ctx, input }) => {
    const detail = nodeDetail(ctx.map, input.id, ctx.now().getTime(), input.windowSeconds);
    if (!detail) {
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `No node "${input.id}" on the map: no span from or to it has been received`,
      });
    }
    return detail;
  }),

  edge: publicProcedure
    .input(z.object({ source: nodeId, target: nodeId, limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => edgeRequests(ctx.map, input.source, input.target, input.limit)),
};
