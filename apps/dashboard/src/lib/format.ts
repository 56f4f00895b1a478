import type { Metrics } from "~/telemetry/contract";
import { formatMs } from "./waterfall";

export { formatMs };

export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${Math.round(perSecond)}`;
  if (perSecond >= 10) return perSecond.toFixed(1);
  return perSecond.toFixed(perSecond === 0 ? 0 : 2).replace(/\.?0+$/, "") || "0";
}

export function formatPercent(rate: number): string {
  const pct = rate * 100;
  if (pct === 0) return "0 %";
  if (pct < 1) return `${pct.toFixed(1)} %`;
  return `${Math.round(pct)} %`;
}

/** "12.3 req/s · p95 8 ms", the label of an edge. */
export function edgeLabel(metrics: Metrics): string {
  return `${formatRate(metrics.perSecond)} req/s · p95 ${formatMs(metrics.p95Ms)}`;
}

export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
}
