/** The run's numbers: what each kill cost and how fast the store came back. */
import type { Kill } from "./chaos";
import { countOutcomes, errorRate, type OutcomeCounts, type RequestLog } from "./request-log";
import type { CheckoutAttempt } from "./shopper";

export interface KillFigures {
  readonly service: string;
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
      atSeconds: (kill.killedAt - runStartedAt) / 1_000,
      checkoutsInFlight: kill.checkoutsInFlight,
      readyMs: kill.readyAt === null ? null : kill.readyAt - kill.killedAt,
      firstCheckoutMs: firstPaid === null ? null : firstPaid - kill.killedAt,
      outage: countOutcomes(log.startedBetween(kill.killedAt, kill.readyAt ?? Number.POSITIVE_INFINITY)),
    };
  });
}

/** Requests sent while no service was down: the baseline the outages compare with. */
export function calmCounts(kills: readonly Kill[], log: RequestLog): OutcomeCounts {
  const inOutage = (startedAt: number) =>
    kills.some((kill) => startedAt >= kill.killedAt && startedAt < (kill.readyAt ?? Number.POSITIVE_INFINITY));
  return countOutcomes(log.records.filter((record) => !inOutage(record.startedAt)));
}

export function outageCounts(figures: readonly KillFigures[]): OutcomeCounts {
  const total = { sent: 0, ok: 0, refused: 0, error: 0, hung: 0 };
  for (const { outage } of figures) for (const key of Object.keys(total) as (keyof OutcomeCounts)[]) total[key] += outage[key];
  return total;
}

export function checkoutCounts(checkouts: readonly CheckoutAttempt[]): Record<CheckoutAttempt["outcome"], number> {
  const counts = { paid: 0, pending: 0, declined: 0, refused: 0, failed: 0 };
  for (const checkout of checkouts) counts[checkout.outcome] += 1;
  return counts;
}

export { errorRate };
