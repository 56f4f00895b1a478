/**
 * The lab's load: shopper journeys (`@microshop/shopper`) started at a steady rate against the
 * storefront's BFF, picked by the mix, never more than `maxInFlight` at once (a start beyond it is
 * skipped and counted), on loopback only, every request tagged with the load's baggage, stopping
 * by itself `maxDurationS` after it started. The supervisor holds one as its load driver.
 *
 *   idle --start--> running --stop--> stopped (asked)
 *                   running --cap---> stopped (cap)
 *   any  --close--> closed (shutdown, if it was running); start after close throws
 *
 * `start` while running replaces the settings live (rate, mix, shares, bounds); the run and its
 * figures go on, and its cap still counts from when it started. `start` after a stop is a new run
 * with new figures. Journeys in flight at a stop finish and are counted; `close` waits for them
 * up to `closeTimeoutMs`, then aborts their requests.
 */
import {
  defaultLoadSettings,
  loadSettingsSchema,
  type JourneyName,
  type LoadSettings,
  type LoadSettingsInput,
  type LoadStatus,
} from "@microshop/lab";
import { CheckoutAccounts } from "@microshop/shopper/checkout-accounts";
import { journeys as shopperJourneys, type Journey, type JourneyContext, type JourneyResult } from "@microshop/shopper/journeys";
import { newShopper } from "@microshop/shopper/steps";
import { z } from "zod";
import { withLoadBaggage } from "./baggage";
import { loopbackOrigin } from "./loopback";
import { pickJourney } from "./mix";
import { changeRate, startPace, takeDue, type Pace } from "./pace";
import { LoadStats } from "./stats";

export { NotLoopbackError } from "./loopback";

/** What the generator says about itself: pino's logger fits, so does console. */
export interface LoadLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface LoadGeneratorOptions {
  /** The storefront's URL; its host must be 127.0.0.1, localhost or ::1. */
  readonly storefrontUrl: string;
  /** Sent with every request (an existing baggage header is merged with the load's). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Drives every choice (journey, products, cards); Math.random unless a test replays a seed. */
  readonly random?: () => number;
  /** Epoch milliseconds; Date.now unless a test moves time itself. */
  readonly now?: () => number;
  readonly logger?: LoadLogger;
  /** The deadline of each request a journey sends. */
  readonly requestTimeoutMs?: number;
  /** How long a checkout with no definite answer is followed with its key. */
  readonly followCheckoutMs?: number;
  /** How long `close` waits for journeys in flight before it aborts their requests. */
  readonly closeTimeoutMs?: number;
  /** The journeys to run, by name: the shopper's, unless a test puts its own. */
  readonly journeys?: Readonly<Record<JourneyName, Journey>>;
}

/** The shape the supervisor takes as its load driver. */
export interface LoadGenerator {
  /**
   * Starts a run, or changes a running one's settings live. Takes settings before or after the
   * schema's defaults (it parses them again). Throws on invalid settings or after close.
   */
  start(settings: LoadSettingsInput): LoadStatus;
  stop(): LoadStatus;
  status(): LoadStatus;
  /** Stops (stoppedBecause "shutdown" if it was running) and waits for journeys in flight, bounded. */
  close(): Promise<void>;
}

const silent: LoadLogger = { info: () => {}, warn: () => {} };

export function createLoadGenerator(options: LoadGeneratorOptions): LoadGenerator {
  const baseUrl = loopbackOrigin(options.storefrontUrl);
  const headers = withLoadBaggage(options.headers);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silent;
  const journeys = options.journeys ?? shopperJourneys;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const closing = new AbortController();
  const context: Omit<JourneyContext, "declineShare"> = {
    newShopper: () => newShopper({ baseUrl, timeoutMs: requestTimeoutMs, headers, signal: closing.signal }, random),
    random,
    accounts: new CheckoutAccounts(),
    followCheckoutMs: options.followCheckoutMs ?? 30_000,
    signal: closing.signal,
  };

  let settings: LoadSettings = defaultLoadSettings;
  let running = false;
  /** Set once close begins: a second close waits for the same. */
  let closed: Promise<void> | undefined;
  let startedAt: number | null = null;
  let stoppedBecause: LoadStatus["stoppedBecause"] = null;
  let stats = new LoadStats(now());
  let pace: Pace = startPace(0, now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const inFlight = new Set<Promise<void>>();

  const capAt = () => (startedAt ?? now()) + settings.maxDurationS * 1_000;

  function status(): LoadStatus {
    return { running, settings, startedAt, stoppedBecause, inFlight: inFlight.size, ...stats.summary(now()) };
  }

  async function shutDown(): Promise<void> {
    if (running) halt("shutdown");
    if (inFlight.size === 0) return;
    let budget: ReturnType<typeof setTimeout> | undefined;
    const waited = await Promise.race([
      Promise.allSettled([...inFlight]).then(() => true),
      new Promise<false>((resolve) => (budget = setTimeout(() => resolve(false), closeTimeoutMs))),
    ]);
    clearTimeout(budget);
    if (!waited) {
      logger.warn(
        `load closing: ${inFlight.size} journeys still in flight after ${closeTimeoutMs} ms; their requests are aborted`,
      );
      closing.abort();
    }
  }

  function halt(reason: NonNullable<LoadStatus["stoppedBecause"]>): void {
    running = false;
    stoppedBecause = reason;
    clearTimeout(timer);
    timer = undefined;
    logger.info(`load stopped (${reason}) with ${inFlight.size} journeys in flight`);
  }

  /** Wakes at the next start or at the cap, whichever comes first; whole ms, never early. */
  function schedule(at: number): void {
    clearTimeout(timer);
    const wakeAt = Math.min(pace.nextAt, capAt());
    timer = setTimeout(tick, Math.max(1, Math.ceil(wakeAt - at)));
    timer.unref?.();
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    const at = now();
    if (at >= capAt()) return halt("cap");
    const { due, pace: next } = takeDue(pace, at);
    pace = next;
    for (let start = 0; start < due; start++) launch(at);
    schedule(at);
  }

  function launch(at: number): void {
    if (inFlight.size >= settings.maxInFlight) return stats.skipped();
    const name = pickJourney(settings.mix, random);
    // The run's own figures, even if the journey ends after a new run began.
    const runStats = stats;
    runStats.started(name, at);
    const journeyContext: JourneyContext = { ...context, declineShare: settings.declineShare };
    // Through a promise, so that even a journey that throws at once is a failure, not a crash of the timer.
    const journey = Promise.resolve()
      .then(() => journeys[name](journeyContext))
      .catch((error: unknown): JourneyResult => {
        logger.warn(`load journey ${name} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return { ok: false, error: `crashed: ${error instanceof Error ? error.message : String(error)}` };
      })
      .then((result) => runStats.finished(name, at, now(), result))
      .finally(() => inFlight.delete(journey));
    inFlight.add(journey);
  }

  return {
    start(input) {
      if (closed) throw new Error("The load generator is closed: the stack is shutting down");
      const parsed = loadSettingsSchema.safeParse(input);
      if (!parsed.success) throw new Error(`Invalid load settings: ${z.prettifyError(parsed.error)}`);
      const at = now();
      settings = parsed.data;
      if (running) {
        pace = changeRate(pace, settings.rate, at);
        logger.info(`load settings changed: ${settings.rate} journeys/s`);
      } else {
        running = true;
        startedAt = at;
        stoppedBecause = null;
        stats = new LoadStats(at);
        pace = startPace(settings.rate, at);
        logger.info(`load started: ${settings.rate} journeys/s against ${baseUrl} for at most ${settings.maxDurationS} s`);
      }
      tick();
      return status();
    },

    stop() {
      if (running) halt("asked");
      return status();
    },

    status,

    close() {
      closed ??= shutDown();
      return closed;
    },
  };
}
