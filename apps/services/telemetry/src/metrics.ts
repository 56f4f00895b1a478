/** What the map shows for an edge, a node (as a callee) or the whole system, over a window. */
export interface Metrics {
  readonly requests: number;
  readonly perSecond: number;
  readonly errorRate: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * Metrics from exact counts and a sample of durations: under heavy load the counts stay exact while
 * the percentiles come from the most recent requests kept per edge.
 */
export function toMetrics(requests: number, errors: number, durations: Float64Array, windowSeconds: number): Metrics {
  // A typed array sorts numerically and without boxing, which matters at 50k samples.
  const sorted = durations.sort();
  return {
    requests,
    perSecond: requests / windowSeconds,
    errorRate: requests === 0 ? 0 : errors / requests,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}
