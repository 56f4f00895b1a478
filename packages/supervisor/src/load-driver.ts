/**
 * The seam between the control plane and whatever makes load: `@microshop/load-generator`'s
 * `createLoadGenerator({ storefrontUrl, ... })` returns exactly this shape. The supervisor takes
 * one as an option; without one it has the idle driver below, which runs nothing and says so.
 */
import {
  defaultLoadSettings,
  journeyNames,
  type JourneyName,
  type JourneyStats,
  type LoadSettings,
  type LoadStatus,
} from "@microshop/lab";

export interface LoadDriver {
  /** Starts (or re-tunes) the load; throws, saying why, when it cannot. */
  start(settings: LoadSettings): LoadStatus;
  stop(): LoadStatus;
  status(): LoadStatus;
  /** Stops for good: the stack is stopping. */
  close(): Promise<void>;
}

const noJourneys: JourneyStats = { started: 0, succeeded: 0, failed: 0, p50Ms: null, p95Ms: null };

/** What a driver reports before it ever ran. */
export const idleLoadStatus: LoadStatus = {
  running: false,
  settings: defaultLoadSettings,
  startedAt: null,
  stoppedBecause: null,
  total: noJourneys,
  recent: { ...noJourneys, perSecond: 0 },
  byJourney: Object.fromEntries(journeyNames.map((journey) => [journey, noJourneys])) as Record<JourneyName, JourneyStats>,
  skipped: 0,
};

/** A stack without a load generator: never running, and a start says there is none. */
export function idleLoadDriver(): LoadDriver {
  return {
    start: () => {
      throw new Error("This stack runs no load generator: the supervisor was started without one");
    },
    stop: () => idleLoadStatus,
    status: () => idleLoadStatus,
    close: () => Promise.resolve(),
  };
}
