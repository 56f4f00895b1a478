import { z } from "zod";
import { buildMap, monolithId, type StackMode } from "~/lib/map-model";
import { topologyView } from "~/server/topology-view";
import { describeOutage } from "../downstream-error";
import { createTRPCRouter, deadline, publicProcedure } from "../trpc";

/** A replica's rate on its chip is over the last 10 s: a new one shows its share within seconds. */
export const replicaWindowSeconds = 10;

export const windowSecondsInput = z.number().int().min(5).max(3_600).default(60);

export const mapRouter = createTRPCRouter({
  /**
   * Everything the map draws, in one answer: nodes with status and metrics, edges with traffic,
   * the totals, the mode. A missing source never fails it: the map says what is missing instead.
   */
  get: publicProcedure
    .input(
      z
        .object({
          windowSeconds: windowSecondsInput,
          /** False leaves the load generator's requests out of every number on the map. */
          includeSynthetic: z.boolean().default(true),
        })
        .default({ windowSeconds: 60, includeSynthetic: true }),
    )
    .query(async ({ ctx, input }) => {
      const [graph, processes] = await Promise.allSettled([
        ctx.telemetry.graph.query(
          { ...input, instanceWindowSeconds: replicaWindowSeconds },
          deadline(ctx.config.READ_TIMEOUT_MS),
        ),
        ctx.supervisor.processes.list.query(undefined, deadline(ctx.config.STATUS_TIMEOUT_MS)),
      ]);
      const graphValue = graph.status === "fulfilled" ? graph.value : null;
      const processList = processes.status === "fulfilled" ? processes.value : null;
      const observedMonolith = graphValue?.nodes.some((node) => node.id === monolithId) ?? false;
      const mode: StackMode = processList?.[0]?.mode ?? (observedMonolith ? "monolith" : "microservices");
      const { nodes, edges } = buildMap({ mode, topology: topologyView, processes: processList, graph: graphValue });
      return {
        mode,
        /** False when the supervisor did not answer and the mode is a guess from the traffic. */
        modeKnown: processList !== null,
        windowSeconds: input.windowSeconds,
        nodes,
        edges,
        totals: graphValue?.totals ?? null,
        /** Each replica's calls over the last `replicaWindowSeconds`, by its `service.instance.id` and version. */
        instances: graphValue?.instances ?? [],
        includeSynthetic: input.includeSynthetic,
        sources: {
          telemetry: graph.status === "fulfilled" ? null : describeOutage(graph.reason, "telemetry"),
          supervisor: processes.status === "fulfilled" ? null : describeOutage(processes.reason, "supervisor"),
        },
      };
    }),
});
