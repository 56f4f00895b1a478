/**
 * The load generator's settings and what it reports: shopper journeys (the soak's), started at a
 * steady rate on loopback only, bounded, stopping by themselves at a cap. Its traffic is tagged
 * (`LOAD_BAGGAGE`) so that the map can show it or hide it.
 */
import { z } from "zod";
import { defaultLoadSettings, journeyNames, LOAD_BAGGAGE, LOAD_BAGGAGE_KEY, MAX_RATE, type JourneyName } from "./values";

export { defaultLoadSettings, journeyNames, LOAD_BAGGAGE, LOAD_BAGGAGE_KEY, MAX_RATE, type JourneyName };

export const loadSettingsSchema = z.object({
  /** Journeys started per second. */
  rate: z.number().min(0).max(MAX_RATE, `at most ${MAX_RATE} journeys a second`),
  /** Relative weights of the journeys; at least one above zero. */
  mix: z
    .object({
      browse: z.number().min(0).max(100),
      search: z.number().min(0).max(100),
      cart: z.number().min(0).max(100),
      signUp: z.number().min(0).max(100),
      checkout: z.number().min(0).max(100),
    })
    .refine((mix) => Object.values(mix).some((weight) => weight > 0), "give at least one journey a weight above zero"),
  /** The share of checkouts paid with a card that is declined. */
  declineShare: z.number().min(0).max(1).default(0.1),
  /** It stops by itself after this many seconds (at most an hour). */
  maxDurationS: z.number().int().min(1).max(3_600).default(600),
  /** Journeys in flight at once, at most; beyond it a start is skipped and counted. */
  maxInFlight: z.number().int().min(1).max(200).default(50),
});
export type LoadSettings = z.infer<typeof loadSettingsSchema>;
export type LoadSettingsInput = z.input<typeof loadSettingsSchema>;

export interface JourneyStats {
  readonly started: number;
  readonly succeeded: number;
  /** Declined cards asked for are successes: the store said no as it should. */
  readonly failed: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export interface LoadStatus {
  readonly running: boolean;
  readonly settings: LoadSettings;
  readonly startedAt: number | null;
  /** Why it stopped last: asked to, its time cap, or the stack stopping. */
  readonly stoppedBecause: "asked" | "cap" | "shutdown" | null;
  readonly total: JourneyStats;
  /** Over the last 10 seconds: what the dashboard shows live. */
  readonly recent: JourneyStats & { readonly perSecond: number };
  readonly byJourney: Readonly<Record<JourneyName, JourneyStats>>;
  /** Starts skipped because `maxInFlight` journeys were running. */
  readonly skipped: number;
  /** Journeys running now (optional: a driver that cannot tell leaves it out). */
  readonly inFlight?: number;
  /** The last few failures, newest last, so the dashboard can say what went wrong. */
  readonly recentErrors?: readonly LoadError[];
}

/** One failed journey, as the dashboard shows it. */
export interface LoadError {
  /** Epoch milliseconds when the journey ended. */
  readonly at: number;
  readonly journey: JourneyName;
  /** What the store answered, e.g. "checkout.place answered INTERNAL_SERVER_ERROR: ...". */
  readonly message: string;
}
