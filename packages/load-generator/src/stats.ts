/**
 * What the load reports of one run: per journey and in total, journeys started, succeeded and
 * failed with their p50 and p95 durations; the same over the last 10 s (what the dashboard shows
 * live) with journeys finished per second; starts skipped at `maxInFlight`; the last few failures.
 *
 * Durations are of finished journeys, failed ones included (a timeout is what the shopper waited),
 * rounded to whole milliseconds. Totals keep a count per millisecond value, so an hour at 50 a
 * second costs a few thousand map entries, and percentiles stay exact; the last 10 s keep each
 * journey (at most 500 at the top rate).
 */
import { journeyNames, type JourneyName, type JourneyStats, type LoadError, type LoadStatus } from "@microshop/lab";

export const recentWindowMs = 10_000;
/** Failures kept for the dashboard, newest last. */
export const recentErrorsKept = 10;

export type LoadSummary = Pick<LoadStatus, "total" | "recent" | "byJourney" | "skipped" | "recentErrors">;

interface Tally {
  started: number;
  succeeded: number;
  failed: number;
  /** Duration in ms -> journeys that took it. */
  readonly durations: Map<number, number>;
}

interface Finished {
  readonly endedAt: number;
  readonly durationMs: number;
  readonly ok: boolean;
}

const newTally = (): Tally => ({ started: 0, succeeded: 0, failed: 0, durations: new Map() });

/** Nearest rank: the smallest value with at least p of all values at or below it; null when none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function countedPercentile(counts: ReadonlyMap<number, number>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const value of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(value)!;
    if (seen >= rank) return value;
  }
  return null;
}

function statsOf(tally: Tally): JourneyStats {
  const finished = tally.succeeded + tally.failed;
  return {
    started: tally.started,
    succeeded: tally.succeeded,
    failed: tally.failed,
    p50Ms: countedPercentile(tally.durations, finished, 0.5),
    p95Ms: countedPercentile(tally.durations, finished, 0.95),
  };
}

export class LoadStats {
  private readonly total = newTally();
  private readonly byJourney = Object.fromEntries(journeyNames.map((name) => [name, newTally()])) as Record<JourneyName, Tally>;
  private skippedStarts = 0;
  private readonly recentStarts: number[] = [];
  private readonly recentFinished: Finished[] = [];
  private readonly errors: LoadError[] = [];

  /** `runStartedAt`: the per-second rate is over the run's age until it is 10 s old. */
  constructor(private readonly runStartedAt: number) {}

  started(journey: JourneyName, at: number): void {
    this.total.started += 1;
    this.byJourney[journey].started += 1;
    this.recentStarts.push(at);
    // Kept short even when nobody asks for a summary for an hour.
    this.forgetBefore(at - recentWindowMs);
  }

  skipped(): void {
    this.skippedStarts += 1;
  }

  finished(journey: JourneyName, startedAt: number, endedAt: number, result: { ok: true } | { ok: false; error: string }): void {
    const durationMs = Math.max(0, Math.round(endedAt - startedAt));
    for (const tally of [this.total, this.byJourney[journey]]) {
      if (result.ok) tally.succeeded += 1;
      else tally.failed += 1;
      tally.durations.set(durationMs, (tally.durations.get(durationMs) ?? 0) + 1);
    }
    this.recentFinished.push({ endedAt, durationMs, ok: result.ok });
    this.forgetBefore(endedAt - recentWindowMs);
    if (!result.ok) {
      this.errors.push({ at: endedAt, journey, message: result.error });
      if (this.errors.length > recentErrorsKept) this.errors.shift();
    }
  }

  summary(now: number): LoadSummary {
    this.forgetBefore(now - recentWindowMs);
    const durations = this.recentFinished.map((journey) => journey.durationMs).sort((a, b) => a - b);
    const succeeded = this.recentFinished.filter((journey) => journey.ok).length;
    const windowS = Math.min(recentWindowMs, Math.max(1_000, now - this.runStartedAt)) / 1_000;
    return {
      total: statsOf(this.total),
      recent: {
        started: this.recentStarts.length,
        succeeded,
        failed: this.recentFinished.length - succeeded,
        p50Ms: percentile(durations, 0.5),
        p95Ms: percentile(durations, 0.95),
        perSecond: this.recentFinished.length / windowS,
      },
      byJourney: Object.fromEntries(journeyNames.map((name) => [name, statsOf(this.byJourney[name])])) as Record<
        JourneyName,
        JourneyStats
      >,
      skipped: this.skippedStarts,
      recentErrors: [...this.errors],
    };
  }

  /** Both lists are in time order (each is appended as it happens), so the old end is cut. */
  private forgetBefore(cutoff: number): void {
    while (this.recentStarts.length > 0 && this.recentStarts[0]! <= cutoff) this.recentStarts.shift();
    while (this.recentFinished.length > 0 && this.recentFinished[0]!.endedAt <= cutoff) this.recentFinished.shift();
  }
}
