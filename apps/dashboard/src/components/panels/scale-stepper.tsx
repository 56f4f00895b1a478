"use client";

import { useMutation } from "@tanstack/react-query";
import type { ServiceName } from "@microshop/topology";
import type { ServiceLab } from "~/lib/lab-model";
import { useTRPC } from "~/trpc/react";
import { ActionOutcome } from "../lab/action-outcome";
import styles from "../lab/lab.module.css";
import { useLabAction } from "../lab/use-lab";

/** The replicas of one service: − n +, each press answered once the replica is ready or drained. */
export function ScaleStepper({ service, lab }: { service: ServiceName; lab: ServiceLab }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const scale = useMutation(trpc.lab.scale.mutationOptions({ onSettled: action.settle }));
  const to = (replicas: number) => {
    action.clear();
    scale.mutate(
      { service, replicas },
      {
        onSuccess: (view) => action.done(`${service} runs ${view.replicas} replica${view.replicas === 1 ? "" : "s"}.`),
        onError: action.failed,
      },
    );
  };
  const pending = scale.isPending ? (scale.variables?.replicas ?? null) : null;
  return (
    <div>
      <div className={styles.stepper}>
        <button
          type="button"
          className={styles.stepButton}
          aria-label={`One replica fewer of ${service}`}
          title={lab.cannotScaleDown ?? undefined}
          disabled={lab.cannotScaleDown !== null || scale.isPending}
          onClick={() => to(lab.replicas - 1)}
        >
          −
        </button>
        <output aria-label={`${service} replicas`} aria-live="polite">
          {lab.replicas}
        </output>
        <button
          type="button"
          className={styles.stepButton}
          aria-label={`One replica more of ${service}`}
          title={lab.cannotScaleUp ?? undefined}
          disabled={lab.cannotScaleUp !== null || scale.isPending}
          onClick={() => to(lab.replicas + 1)}
        >
          +
        </button>
        <span className={styles.check}>
          {pending !== null ? `scaling to ${pending}…` : (lab.cannotScaleUp ?? lab.cannotScaleDown ?? "replicas")}
        </span>
      </div>
      <ActionOutcome action={action} />
    </div>
  );
}
