"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import { toneOf, type VersionTone } from "~/lib/lab-model";
import { useTRPC } from "~/trpc/react";
import { particles } from "./particle-engine";
import { pulseReplica } from "./replica-pulse";

/** On screen, a request's round trip: long enough to follow, a little longer for slow requests. */
export function liveParticleMs(durationMs: number): number {
  return Math.round(1_000 + Math.min(900, 140 * Math.log2(1 + Math.max(0, durationMs))));
}

export type LiveStatus = "idle" | "connecting" | "pending" | "error";

export interface LiveParticleOptions {
  /** False drops the load generator's requests (the map's "show load traffic" toggle). */
  readonly showLoad: boolean;
  /** Per service, the tone of each version it runs (only services running two). */
  readonly tones: ReadonlyMap<string, ReadonlyMap<string, VersionTone>>;
}

/**
 * Turns the live request stream into dots on the map; renders nothing, reports its connection.
 * What filters and colours the dots is read from a ref per batch, so a change re-renders nothing.
 */
export function useLiveParticles(options: LiveParticleOptions): LiveStatus {
  const trpc = useTRPC();
  const current = useRef(options);
  useEffect(() => {
    current.current = options;
  }, [options]);
  const subscription = useSubscription(
    trpc.live.requests.subscriptionOptions(undefined, {
      onData: ({ events }) => {
        const { showLoad, tones } = current.current;
        for (const event of events) {
          if (event.synthetic && !showLoad) continue;
          const durationMs = liveParticleMs(event.durationMs);
          const shown = particles.emit(event.source, event.target, {
            durationMs,
            error: event.error,
            tone: toneOf(tones, event.target, event.targetVersion),
          });
          // Halfway through its round trip the dot is at the callee: the replica that served it flashes.
          if (shown && event.targetInstance) pulseReplica(event.targetInstance, durationMs / 2);
        }
      },
    }),
  );
  return subscription.status;
}
