"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import panels from "../panels/panels.module.css";
import { ActionOutcome } from "./action-outcome";
import { useLabAction } from "./use-lab";

/** Clears every fault at once, scenarios' included: the way back to a healthy stack. */
export function ClearFaultsButton({ count, compact = false }: { count: number; compact?: boolean }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const clear = useMutation(trpc.lab.clearFaults.mutationOptions({ onSettled: action.settle }));
  return (
    <>
      <button
        type="button"
        className={panels.button}
        data-tone="danger"
        disabled={count === 0 || clear.isPending}
        onClick={() => clear.mutate(undefined, { onSuccess: () => action.done("Every fault cleared."), onError: action.failed })}
      >
        {clear.isPending ? "Clearing…" : compact ? `Clear faults (${count})` : "Clear all faults"}
      </button>
      {!compact && <ActionOutcome action={action} />}
    </>
  );
}
