import { inspectRouter } from "./routers/inspect";
import { labRouter } from "./routers/lab";
import { liveRouter } from "./routers/live";
import { mapRouter } from "./routers/map";
import { processesRouter } from "./routers/processes";
import { tracesRouter } from "./routers/traces";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  map: mapRouter,
  inspect: inspectRouter,
  traces: tracesRouter,
  processes: processesRouter,
  lab: labRouter,
  live: liveRouter,
});

/** The BFF's API as a type: all the browser's client needs. */
export type AppRouter = typeof appRouter;

/** Calls the BFF in-process: tests. */
export const createCaller = createCallerFactory(appRouter);
