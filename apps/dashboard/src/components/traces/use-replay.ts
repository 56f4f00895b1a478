"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { replayLength, replaySchedule } from "~/lib/replay";
import type { TraceRequest } from "~/lib/trace-path";
import { particles } from "../map/particle-engine";

/**
 * Plays a trace's requests on the map in slow motion: one dot per request at its real relative
 * time × speed. Live dots are muted meanwhile so the replayed ones can be followed.
 */
export function useReplay(requests: readonly TraceRequest[]) {
  const timers = useRef<Array<ReturnType<typeof setTimeout>>>([]);
  const [running, setRunning] = useState<{ lengthMs: number; speed: number; startedAt: number } | null>(null);

  const stop = useCallback(() => {
    for (const timer of timers.current) clearTimeout(timer);
    timers.current = [];
    particles.muteLive(false);
    setRunning(null);
  }, []);

  const play = useCallback(
    (speed: number) => {
      stop();
      const steps = replaySchedule(requests, speed);
      if (steps.length === 0) return;
      const lengthMs = replayLength(steps);
      particles.muteLive(true);
      timers.current = steps.map((step) =>
        setTimeout(() => {
          particles.emit(step.request.source, step.request.target, {
            durationMs: step.durationMs,
            error: step.request.error,
            variant: "replay",
          });
        }, step.atMs),
      );
      timers.current.push(setTimeout(stop, lengthMs + 100));
      setRunning({ lengthMs, speed, startedAt: performance.now() });
    },
    [requests, stop],
  );

  useEffect(() => stop, [stop]);
  return { play, stop, running };
}
