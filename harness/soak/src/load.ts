/**
 * Shoppers at a steady rate: a journey starts every 1/rate seconds until the deadline, unless too
 * many are already running (then the start is skipped and counted, so an overloaded stack shows up
 * in the report instead of an ever-growing queue).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { RequestLog } from "./request-log";
import { runJourney, type CheckoutAttempt } from "./shopper";

export interface LoadOptions {
  readonly baseUrl: string;
  readonly durationMs: number;
  readonly journeysPerSecond: number;
  readonly maxConcurrentJourneys: number;
  readonly requestTimeoutMs: number;
  readonly log: RequestLog;
  readonly random: () => number;
  readonly stopSignal: AbortSignal;
}

export interface LoadResult {
  readonly journeysStarted: number;
  readonly journeysSkipped: number;
  /** Journeys that threw: a bug in the soak itself, never the store's fault. */
  readonly journeyCrashes: readonly string[];
  readonly checkouts: readonly CheckoutAttempt[];
}

export class Load {
  readonly checkouts: CheckoutAttempt[] = [];
  /** Checkouts sent and not answered yet: the chaos waits for one before killing order or payment. */
  checkoutsInFlight = 0;

  constructor(private readonly options: LoadOptions) {}

  async run(): Promise<LoadResult> {
    const { options } = this;
    const running = new Set<Promise<void>>();
    const crashes: string[] = [];
    let started = 0;
    let skipped = 0;
    const intervalMs = 1_000 / options.journeysPerSecond;
    const begin = Date.now();
    for (let tick = 0; ; tick++) {
      const due = begin + tick * intervalMs;
      if (due >= begin + options.durationMs || options.stopSignal.aborted) break;
      await sleep(Math.max(0, due - Date.now()));
      if (running.size >= options.maxConcurrentJourneys) {
        skipped += 1;
        continue;
      }
      started += 1;
      const journey = runJourney({
        baseUrl: options.baseUrl,
        timeoutMs: options.requestTimeoutMs,
        log: options.log,
        random: options.random,
        onCheckoutStart: () => (this.checkoutsInFlight += 1),
        onCheckout: (attempt) => {
          this.checkoutsInFlight -= 1;
          this.checkouts.push(attempt);
        },
      })
        .catch((error: unknown) => void crashes.push(error instanceof Error ? (error.stack ?? error.message) : String(error)))
        .finally(() => running.delete(journey));
      running.add(journey);
    }
    // Every request has a deadline and a journey has a bounded number of them: this wait ends.
    await Promise.all(running);
    return { journeysStarted: started, journeysSkipped: skipped, journeyCrashes: crashes, checkouts: this.checkouts };
  }
}
