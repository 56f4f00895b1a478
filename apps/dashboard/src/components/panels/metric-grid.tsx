import { formatMs, formatPercent, formatRate } from "~/lib/format";
import type { Metrics } from "~/telemetry/contract";
import styles from "./panels.module.css";

/** Requests, rate, error rate and latency percentiles as a row of tiles. */
export function MetricGrid({ metrics, windowSeconds }: { metrics: Metrics | null; windowSeconds: number }) {
  if (!metrics || metrics.requests === 0) return <p className={styles.empty}>No requests in the last {windowSeconds} s.</p>;
  const tiles: Array<[string, string, boolean?]> = [
    ["requests", String(metrics.requests)],
    ["req/s", formatRate(metrics.perSecond)],
    ["errors", formatPercent(metrics.errorRate), metrics.errorRate > 0.05],
    ["p50", formatMs(metrics.p50Ms)],
    ["p95", formatMs(metrics.p95Ms)],
    ["p99", formatMs(metrics.p99Ms)],
  ];
  return (
    <dl className={styles.metrics}>
      {tiles.map(([label, value, bad]) => (
        <div key={label} className={styles.metric} data-bad={bad || undefined}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
