import { createTRPCRouter } from "../trpc";
import { liveRouter } from "./live";
import { mapProcedures } from "./map";
import { tracesRouter } from "./traces";

export const appRouter = createTRPCRouter({
  ...mapProcedures,
  traces: tracesRouter,
  live: liveRouter,
});

/** The telemetry service's API, as a type: the dashboard reads the map, traces and live stream through it. */
export type TelemetryRouter = typeof appRouter;
