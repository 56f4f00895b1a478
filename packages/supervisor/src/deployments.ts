/**
 * Deploys as the control plane records them: while they run and after, for the snapshot's "cart:
 * 0 failed of 1,240, 4.1 s". A record holds the tallies of the service's calls at its start, so
 * its calls are what the callers reported since; once it ends they are frozen.
 *
 *   rolling ── every old replica replaced ──> done
 *   rolling ── a new replica did not start ─> failed
 *   canary ─── promote ──> rolling (the rest roll over) ──> done
 *   canary ─── roll back (by hand, or its error rate past the threshold) ──> rolled-back
 *   done ───── roll back ──> rolled-back, and a new rolling deploy back to the version before
 */
import type { Deployment, DeploymentState } from "@microshop/lab/control-plane";
import { callsSince, type Tally } from "./feed-state";
import type { Release } from "./instance-env";

/** The calls a canary needs before its error rate counts. */
export const MIN_CANARY_CALLS = 20;

/** How many deploys the snapshot keeps. */
export const KEPT_DEPLOYMENTS = 10;

export interface DeploymentRecord {
  readonly id: string;
  readonly service: string;
  readonly strategy: "rolling" | "canary";
  readonly from: Release;
  readonly to: Release;
  state: DeploymentState;
  weight: number;
  readonly startedAt: number;
  finishedAt: number | null;
  reason: string | null;
  /** Roll back by itself above this error rate (a canary only). */
  readonly rollbackAbove: number | null;
  /** The service's tallies per instance when it started. */
  readonly baseline: ReadonlyMap<string, Tally>;
  /** The replicas it started. */
  readonly started: Set<string>;
  /** Its calls once it ended. */
  frozen: { readonly calls: Tally; readonly canary: Tally } | null;
}

/** `1.0.0` -> `1.1.0`: what a deploy runs unless told a version. */
export function nextMinor(version: string): string {
  const match = /^(\d+)\.(\d+)\.\d+/.exec(version);
  return match ? `${match[1]}.${Number(match[2]) + 1}.0` : "1.1.0";
}

/** A rate as people read it: 0.43 -> "43 %". */
export function percent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

/** Why a canary is to be rolled back now, or null: past `rollbackAbove` over at least `MIN_CANARY_CALLS` recent calls. */
export function canaryVerdict(recent: Tally, rollbackAbove: number): string | null {
  const calls = recent.ok + recent.failed;
  if (calls < MIN_CANARY_CALLS) return null;
  const rate = recent.failed / calls;
  return rate > rollbackAbove ? `error rate ${percent(rate)} above ${percent(rollbackAbove)}` : null;
}

/** The record as the snapshot shows it; `tallies` are the service's calls per instance now. */
export function deploymentView(record: DeploymentRecord, tallies: ReadonlyMap<string, Tally>): Deployment {
  const { calls, canary } = record.frozen ?? {
    calls: callsSince(tallies, record.baseline),
    canary: callsSince(tallies, record.baseline, record.started),
  };
  const canaryCalls = canary.ok + canary.failed;
  return {
    id: record.id,
    service: record.service,
    strategy: record.strategy,
    from: record.from.version,
    to: record.to.version,
    flavour: record.to.flavour,
    state: record.state,
    weight: record.weight,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    calls,
    canary: { ...canary, errorRate: canaryCalls > 0 ? canary.failed / canaryCalls : null },
    reason: record.reason,
  };
}
