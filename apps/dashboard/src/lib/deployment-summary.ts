import type { Deployment } from "@microshop/lab";
import { formatPercent } from "./format";

const count = new Intl.NumberFormat("en-GB");

/** "4.1 s", "850 ms", "2 min 5 s": how long a deploy took (or has been running). */
export function formatElapsed(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 1_000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

const outcome: Record<Deployment["state"], string> = {
  rolling: "rolling out",
  canary: "canary running",
  done: "done",
  "rolled-back": "rolled back",
  failed: "failed",
};

/** "cart 1.0.0 → 1.1.0, rolling: 0 failed of 1,240, 4.1 s": one line of the deploy history. */
export function deploymentSummary(deployment: Deployment, nowMs: number): string {
  const { calls } = deployment;
  const total = calls.ok + calls.failed;
  const took = formatElapsed((deployment.finishedAt ?? nowMs) - deployment.startedAt);
  return `${deployment.service} ${deployment.from} → ${deployment.to}, ${deployment.strategy}: ${count.format(calls.failed)} failed of ${count.format(total)}, ${took}`;
}

/** What happened in the end, in words: "done", "rolled back: error rate 43 % above 20 %". */
export function deploymentOutcome(deployment: Deployment): string {
  const said = outcome[deployment.state];
  return deployment.reason ? `${said}: ${deployment.reason}` : said;
}

/** "12 % of 340 calls failed" for a canary, or "no calls yet". */
export function canaryHealth(deployment: Deployment): string {
  const judged = deployment.canary.ok + deployment.canary.failed;
  if (judged === 0 || deployment.canary.errorRate === null) return "no calls yet";
  return `${formatPercent(deployment.canary.errorRate)} of ${count.format(judged)} calls failed`;
}
