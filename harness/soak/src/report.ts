/** The soak's report: figures first, then each invariant with its violations, then one summary line. */
import type { CheckResult } from "./invariants/checker";
import { errorRate, type KillFigures, type LabFigures } from "./figures";
import type { OutcomeCounts } from "./request-log";

export interface SoakReport {
  readonly command: string;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly journeysPerSecond: number;
  readonly journeysStarted: number;
  readonly journeysSkipped: number;
  readonly requests: OutcomeCounts;
  /** "error SERVICE_UNAVAILABLE checkout.place": count, most frequent first. */
  readonly failureKinds: ReadonlyArray<readonly [string, number]>;
  readonly calm: OutcomeCounts;
  readonly outage: OutcomeCounts;
  /** Requests sent while a scale or deploy ran (and nothing was down). */
  readonly during: OutcomeCounts;
  readonly checkouts: Record<string, number>;
  readonly kills: readonly KillFigures[];
  /** Scales and deploys done beside the kills (none in the monolith). */
  readonly lab: readonly LabFigures[];
  readonly settledMs: number;
  readonly checks: readonly CheckResult[];
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const seconds = (ms: number | null) => (ms === null ? "never" : `${(ms / 1000).toFixed(1)} s`);

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export function formatReport(report: SoakReport): string {
  const lines: string[] = [];
  const { requests, calm, outage, during } = report;
  lines.push("", `=== soak report (seed ${report.seed}) ===`);
  lines.push(
    `load: ${report.durationSeconds} s at ${report.journeysPerSecond} journeys/s: ${report.journeysStarted} journeys (${report.journeysSkipped} skipped: too many running)`,
  );
  lines.push(
    `requests: ${requests.sent} sent, ${requests.ok} ok, ${requests.refused} refused (4xx), ${requests.error} errors, ${requests.hung} hung`,
  );
  if (report.failureKinds.length > 0) {
    lines.push(
      `most frequent failures: ${report.failureKinds
        .slice(0, 6)
        .map(([kind, count]) => `${kind} ×${count}`)
        .join("; ")}`,
    );
  }
  lines.push(
    `error rate: ${percent(errorRate(calm))} with every service up and no lab action, ${percent(errorRate(during))} during scales and deploys (${during.sent} requests), ${percent(errorRate(outage))} during outages (${outage.sent} requests)`,
  );
  lines.push(
    `checkouts: ${Object.entries(report.checkouts)
      .map(([outcome, count]) => `${count} ${outcome}`)
      .join(", ")}`,
  );
  lines.push(`kills: ${report.kills.length}`);
  lines.push(
    "  process (of replicas)  at      in-flight checkouts  ready after  first paid checkout after  outage requests  outage errors",
  );
  for (const kill of report.kills) {
    lines.push(
      `  ${`${kill.process} (of ${kill.replicas})`.padEnd(21)}  ${`${kill.atSeconds.toFixed(0)} s`.padEnd(6)}  ${String(kill.checkoutsInFlight).padEnd(19)}  ${seconds(kill.readyMs).padEnd(11)}  ${seconds(kill.firstCheckoutMs).padEnd(25)}  ${String(kill.outage.sent).padEnd(15)}  ${kill.outage.error + kill.outage.hung} (${percent(errorRate(kill.outage))})`,
    );
  }
  const ready = median(report.kills.flatMap((kill) => (kill.readyMs === null ? [] : [kill.readyMs])));
  const checkout = median(report.kills.flatMap((kill) => (kill.firstCheckoutMs === null ? [] : [kill.firstCheckoutMs])));
  lines.push(`recovery (median): ready again after ${seconds(ready)}, first paid checkout after ${seconds(checkout)}`);
  lines.push(...formatLab(report.lab));
  lines.push(`settled ${seconds(report.settledMs)} after the load stopped`);
  lines.push("", "invariants:");
  for (const check of report.checks) {
    lines.push(`  ${check.violations.length === 0 ? "ok  " : "FAIL"}  ${check.name}`);
    for (const violation of check.violations.slice(0, 15)) lines.push(`          - ${violation}`);
    if (check.violations.length > 15) lines.push(`          ... and ${check.violations.length - 15} more`);
  }
  const failed = report.checks.filter((check) => check.violations.length > 0).length;
  lines.push("", `command: ${report.command}`);
  lines.push(`soak: ${report.checks.length - failed} passed, ${failed} failed`);
  return lines.join("\n");
}

/** The lab lane's table: each scale and deploy, what it cost the shoppers and the service's callers. */
function formatLab(lab: readonly LabFigures[]): string[] {
  const scales = lab.filter((action) => action.action.startsWith("scale")).length;
  const failed = lab.filter((action) => action.error !== null).length;
  const lines = [
    `lab actions: ${lab.length} (${plural(scales, "scale")}, ${plural(lab.length - scales, "rolling deploy")}; ${failed} did not take effect)`,
  ];
  if (lab.length === 0) return lines;
  lines.push(
    "  action                      change                          at      took    shopper requests  shopper errors  service calls failed",
  );
  for (const action of lab) {
    const calls = action.calls === null ? "-" : `${action.calls.failed} of ${action.calls.ok + action.calls.failed}`;
    const errors = action.requests.error + action.requests.hung;
    lines.push(
      `  ${action.action.padEnd(26)}  ${action.change.padEnd(30)}  ${`${action.atSeconds.toFixed(0)} s`.padEnd(6)}  ${seconds(action.tookMs).padEnd(6)}  ${String(action.requests.sent).padEnd(16)}  ${`${errors} (${percent(errorRate(action.requests))})`.padEnd(14)}  ${calls}`,
    );
    if (action.failures.length > 0)
      lines.push(`      failures: ${action.failures.map(([kind, count]) => `${kind} ×${count}`).join("; ")}`);
    if (action.error !== null) lines.push(`      did not take effect: ${action.error}`);
  }
  return lines;
}
