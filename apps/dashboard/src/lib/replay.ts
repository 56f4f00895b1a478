import type { TraceRequest } from "./trace-path";

/** How many times slower than real time; local calls take milliseconds, so ×100 is there too. */
export const replaySpeeds = [5, 10, 25, 100] as const;
export type ReplaySpeed = (typeof replaySpeeds)[number];

/** Below this a dot is a blink nobody can follow, however fast the real request was. */
export const minimumParticleMs = 600;

export interface ReplayStep {
  readonly request: TraceRequest;
  /** When this request's dot leaves, from the start of the replay. */
  readonly atMs: number;
  /** How long its round trip (there and back) takes on screen. */
  readonly durationMs: number;
}

/**
 * The slow-motion schedule of a trace: every request leaves at its real offset from the first one,
 * multiplied by `speed`, and takes its real duration times `speed` (at least a visible minimum).
 */
export function replaySchedule(requests: readonly TraceRequest[], speed: number): ReplayStep[] {
  if (requests.length === 0) return [];
  const sorted = [...requests].sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId));
  const first = sorted[0]!.startMs;
  return sorted.map((request) => ({
    request,
    atMs: Math.round((request.startMs - first) * speed),
    durationMs: Math.max(minimumParticleMs, Math.round(request.durationMs * speed)),
  }));
}

/** How long the whole replay runs: until the last dot is back. */
export function replayLength(steps: readonly ReplayStep[]): number {
  return steps.reduce((end, step) => Math.max(end, step.atMs + step.durationMs), 0);
}
