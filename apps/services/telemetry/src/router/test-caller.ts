import { pino } from "pino";
import { TelemetryPipeline } from "../pipeline";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

/** The router called in-process over a fresh pipeline whose clock (ms) the test sets. */
export function testCaller(nowMs = 1_000_000) {
  const clock = { nowMs };
  const pipeline = new TelemetryPipeline({ maxSpans: 10_000, now: () => clock.nowMs });
  const caller = createCallerFactory(appRouter)({
    store: pipeline.store,
    map: pipeline.map,
    live: pipeline.live,
    logger: pino({ level: "silent" }),
    now: () => new Date(clock.nowMs),
  });
  return { caller, pipeline, clock };
}
