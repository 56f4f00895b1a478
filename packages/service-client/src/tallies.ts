/**
 * How this process's calls went, per endpoint (callee and instance), since the last lab report: the
 * control plane reads them to know when nobody sends to a replica any more (it can drain it) and
 * how a canary fares beside the old version.
 */
import type { CallTally } from "@microshop/lab/feed";
import type { ServiceName } from "@microshop/topology";
import { downstreamCode, isOutage } from "./errors";

export interface CallTallies {
  record(callee: ServiceName, instance: string, ok: boolean): void;
  /** Every tally since the last take; the count starts again from zero. */
  take(): CallTally[];
  /** Adds back tallies a report could not deliver, so they go with the next one. */
  restore(tallies: readonly CallTally[]): void;
}

export function createCallTallies(): CallTallies {
  const counts = new Map<string, { callee: ServiceName; instance: string; ok: number; failed: number }>();
  const add = (callee: ServiceName, instance: string, ok: number, failed: number) => {
    const key = `${callee}\u0000${instance}`;
    const entry = counts.get(key) ?? { callee, instance, ok: 0, failed: 0 };
    entry.ok += ok;
    entry.failed += failed;
    counts.set(key, entry);
  };
  return {
    record: (callee, instance, ok) => add(callee, instance, ok ? 1 : 0, ok ? 0 : 1),
    take() {
      const taken = [...counts.values()].map((entry) => ({ ...entry }));
      counts.clear();
      return taken;
    },
    restore(tallies) {
      for (const { callee, instance, ok, failed } of tallies) add(callee, instance, ok, failed);
    },
  };
}

/**
 * Whether a failed call counts against the endpoint that answered it: no answer or an outage (a
 * bad build's INTERNAL_SERVER_ERROR among them), or BAD_REQUEST, which our own callers, sending
 * what the API asked for, only meet from a version whose API changed. A business answer (not
 * found, out of stock, declined) is the callee doing its job.
 */
export function failsTheCallee(error: unknown): boolean {
  return isOutage(error) || downstreamCode(error) === "BAD_REQUEST";
}
