/** The run's numbers: what each kill and each lab action cost and how fast the store came back. */
import type { Kill } from "./chaos";
import { describeAction, type LabRecord } from "./lab";
import type { RequestRecord } from "@microshop/shopper/bff-client";
import { countOutcomes, errorRate, type OutcomeCounts, type RequestLog } from "./request-log";
import type { CheckoutAttempt } from "./shopper";

export interface KillFigures {
  readonly service: string;
  /** The process killed, and how many replicas of its service were ready then. */
  readonly process: string;
  readonly replicas: number;
  readonly atSeconds: number;
  readonly checkoutsInFlight: number;
  /** Kill → the supervisor reports it ready again. */
  readonly readyMs: number | null;
  /** Kill → the first paid checkout that was started after the kill. */
  readonly firstCheckoutMs: number | null;
  /** Requests sent between the kill and the service being ready again. */
  readonly outage: OutcomeCounts;
}

export function killFigures(
  kills: readonly Kill[],
  log: RequestLog,
  checkouts: readonly CheckoutAttempt[],
  runStartedAt: number,
): KillFigures[] {
  return kills.map((kill) => {
    const firstPaid = checkouts
      .filter((checkout) => checkout.outcome === "paid" && checkout.startedAt >= kill.killedAt)
      .reduce<number | null>(
        (earliest, checkout) => (earliest === null || checkout.endedAt < earliest ? checkout.endedAt : earliest),
        null,
      );
    return {
      service: kill.service,
      process: kill.process,
      replicas: kill.replicas,
      atSeconds: (kill.killedAt - runStartedAt) / 1_000,
      checkoutsInFlight: kill.checkoutsInFlight,
      readyMs: kill.readyAt === null ? null : kill.readyAt - kill.killedAt,
      firstCheckoutMs: firstPaid === null ? null : firstPaid - kill.killedAt,
      outage: countOutcomes(log.startedBetween(kill.killedAt, kill.readyAt ?? Number.POSITIVE_INFINITY)),
    };
  });
}

/** Whether a request sent at `startedAt` went out while a killed process was not ready again. */
function duringOutage(kills: readonly Kill[]): (startedAt: number) => boolean {
  return (startedAt) =>
    kills.some((kill) => startedAt >= kill.killedAt && startedAt < (kill.readyAt ?? Number.POSITIVE_INFINITY));
}

/** Requests sent while no service was down and no scale or deploy ran: the baseline the others compare with. */
export function calmCounts(kills: readonly Kill[], lab: readonly LabRecord[], log: RequestLog): OutcomeCounts {
  const inOutage = duringOutage(kills);
  const inLab = (startedAt: number) => lab.some((record) => startedAt >= record.startedAt && startedAt < record.endedAt);
  return countOutcomes(log.records.filter((record) => !inOutage(record.startedAt) && !inLab(record.startedAt)));
}

/** "error SERVICE_UNAVAILABLE checkout.place" with its count, most frequent first. */
export function failureKinds(records: readonly RequestRecord[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.outcome === "ok") continue;
    const kind = `${record.outcome} ${record.code ?? "?"} ${record.path}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

export function outageCounts(figures: readonly KillFigures[]): OutcomeCounts {
  return sumCounts(figures.map((figure) => figure.outage));
}

function sumCounts(all: readonly OutcomeCounts[]): OutcomeCounts {
  const total = { sent: 0, ok: 0, refused: 0, error: 0, hung: 0 };
  for (const counts of all) for (const key of Object.keys(total) as (keyof OutcomeCounts)[]) total[key] += counts[key];
  return total;
}

export function checkoutCounts(checkouts: readonly CheckoutAttempt[]): Record<CheckoutAttempt["outcome"], number> {
  const counts = { paid: 0, pending: 0, declined: 0, refused: 0, failed: 0 };
  for (const checkout of checkouts) counts[checkout.outcome] += 1;
  return counts;
}

export { errorRate };

export interface LabFigures {
  readonly action: string;
  readonly change: string;
  readonly atSeconds: number;
  readonly tookMs: number;
  /** A deploy's calls to its service while it ran (its callers' tally); null for a scale. */
  readonly calls: { readonly ok: number; readonly failed: number } | null;
  /** Shopper requests sent while the action ran and no killed process was down (a kill's are its own). */
  readonly requests: OutcomeCounts;
  /** The most frequent of their failures. */
  readonly failures: ReadonlyArray<readonly [string, number]>;
  readonly error: string | null;
}

export function labFigures(
  records: readonly LabRecord[],
  kills: readonly Kill[],
  log: RequestLog,
  runStartedAt: number,
): LabFigures[] {
  const inOutage = duringOutage(kills);
  return records.map((record) => {
    const sent = log.startedBetween(record.startedAt, record.endedAt).filter((request) => !inOutage(request.startedAt));
    return {
      action: describeAction(record.action),
      change: record.change,
      atSeconds: (record.startedAt - runStartedAt) / 1_000,
      tookMs: record.endedAt - record.startedAt,
      calls: record.calls,
      requests: countOutcomes(sent),
      failures: failureKinds(sent).slice(0, 3),
      error: record.error,
    };
  });
}

/** Every lab action's requests together (those sent during a kill's outage left out). */
export function labCounts(figures: readonly LabFigures[]): OutcomeCounts {
  return sumCounts(figures.map((figure) => figure.requests));
}
