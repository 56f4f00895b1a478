"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "~/trpc/react";
import { particles } from "./particle-engine";

/** On screen, a request's round trip: long enough to follow, a little longer for slow requests. */
export function liveParticleMs(durationMs: number): number {
  return Math.round(1_000 + Math.min(900, 140 * Math.log2(1 + Math.max(0, durationMs))));
}

export type LiveStatus = "idle" | "connecting" | "pending" | "error";

/** Turns the live request stream into dots on the map; renders nothing, reports its connection. */
export function useLiveParticles(): LiveStatus {
  const trpc = useTRPC();
  const subscription = useSubscription(
    trpc.live.requests.subscriptionOptions(undefined, {
      onData: ({ events }) => {
        for (const event of events)
          particles.emit(event.source, event.target, { durationMs: liveParticleMs(event.durationMs), error: event.error });
      },
    }),
  );
  return subscription.status;
}
