"use client";

import { useMutation } from "@tanstack/react-query";
import type { FaultBadge } from "~/lib/lab-model";
import { useTRPC } from "~/trpc/react";
import { ActionOutcome } from "../lab/action-outcome";
import styles from "../lab/lab.module.css";
import { useLabAction } from "../lab/use-lab";
import panels from "./panels.module.css";

/** The faults in force on a service or an edge (or, each with its `where`, on the whole stack), each with its own Clear. */
export function FaultList({ faults, label }: { faults: readonly FaultBadge[]; label: string }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const clear = useMutation(trpc.lab.clearFault.mutationOptions({ onSettled: action.settle }));
  if (faults.length === 0) return <p className={panels.empty}>No faults on {label}.</p>;
  return (
    <>
      <ul className={styles.faultList} aria-label={`Faults on ${label}`}>
        {faults.map((fault) => (
          <li key={fault.id} className={styles.faultItem}>
            <span>
              {fault.where !== undefined && <strong>{fault.where}: </strong>}
              {fault.label}
            </span>
            <button
              type="button"
              className={styles.smallButton}
              aria-label={`Clear the fault ${fault.label} on ${fault.where ?? label}`}
              disabled={clear.isPending && clear.variables.id === fault.id}
              onClick={() => clear.mutate({ id: fault.id }, { onError: action.failed, onSuccess: action.clear })}
            >
              Clear
            </button>
          </li>
        ))}
      </ul>
      <ActionOutcome action={action} />
    </>
  );
}
