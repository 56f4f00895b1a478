import { z } from "zod";
import { fromDownstream } from "../downstream-error";
import { createTRPCRouter, deadline, publicProcedure } from "../trpc";
import { windowSecondsInput } from "./map";

/** A node id: an OpenTelemetry service.name, or `<service>/<db system>` for a database. */
const nodeId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:@-]+(\/[\w.:@-]+)?$/, "a node id is a service name like order, or a database like order/sqlite");

export const inspectRouter = createTRPCRouter({
  /** A node's operations, metrics and recent errors; null when the telemetry has no spans from it yet. */
  node: publicProcedure
    .input(z.object({ id: nodeId, windowSeconds: windowSecondsInput, includeSynthetic: z.boolean().default(true) }))
    .query(async ({ ctx, input }) => {
      try {
        return await ctx.telemetry.node.query(input, deadline(ctx.config.READ_TIMEOUT_MS));
      } catch (error) {
        const mapped = fromDownstream(error, "telemetry");
        if (mapped.code === "NOT_FOUND") return null;
        throw mapped;
      }
    }),

  /** The latest requests on one edge, newest first. */
  edge: publicProcedure
    .input(
      z.object({
        source: nodeId,
        target: nodeId,
        limit: z.number().int().min(1).max(200).default(40),
        includeSynthetic: z.boolean().default(true),
      }),
    )
    .query(async ({ ctx, input }) => {
      try {
        return await ctx.telemetry.edge.query(input, deadline(ctx.config.READ_TIMEOUT_MS));
      } catch (error) {
        throw fromDownstream(error, "telemetry");
      }
    }),
});
