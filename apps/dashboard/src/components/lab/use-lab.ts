"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { errorMessage } from "~/lib/error-message";
import { useTRPC } from "~/trpc/react";

/** The control plane's snapshot, polled every second (one query shared by every component). */
export function useLabSnapshot() {
  const trpc = useTRPC();
  return useQuery(trpc.lab.snapshot.queryOptions(undefined, { refetchInterval: 1_000, placeholderData: keepPreviousData }));
}

export interface LabOutcome {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * What one group of lab controls says after an action: done, or the control plane's reason; an
 * UNAUTHORIZED answer asks for the admin token. `settle` refreshes the snapshot at once.
 */
export function useLabAction() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<LabOutcome | null>(null);
  const [needsToken, setNeedsToken] = useState(false);
  const settle = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.lab.snapshot.queryKey() }),
    [queryClient, trpc],
  );
  const done = useCallback((text: string) => setOutcome({ ok: true, text }), []);
  const failed = useCallback((error: unknown) => {
    const code = (error as { data?: { code?: string } | null }).data?.code;
    if (code === "UNAUTHORIZED") setNeedsToken(true);
    setOutcome({ ok: false, text: errorMessage(error) });
  }, []);
  const tokenSaved = useCallback(() => {
    setNeedsToken(false);
    setOutcome({ ok: true, text: "Admin token saved for this tab: try again." });
  }, []);
  const clear = useCallback(() => setOutcome(null), []);
  return { outcome, needsToken, settle, done, failed, tokenSaved, clear };
}

export type LabAction = ReturnType<typeof useLabAction>;
