/** How long to wait before restarting a crashed process. */
export interface BackoffPolicy {
  /** Delay after the first crash. */
  readonly initialMs: number;
  /** The delay doubles per consecutive crash up to this. */
  readonly maxMs: number;
  /** A process that stayed up this long is healthy again: its next crash starts from `initialMs`. */
  readonly stableMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 10_000, stableMs: 60_000 };

/** Delay before restart number `consecutiveCrashes` (1 for the first crash in a row). */
export function backoffDelay(policy: BackoffPolicy, consecutiveCrashes: number): number {
  const exponent = Math.max(0, consecutiveCrashes - 1);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 30));
}
