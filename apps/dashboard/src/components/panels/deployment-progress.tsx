"use client";

import { useMutation } from "@tanstack/react-query";
import type { Deployment } from "@microshop/lab";
import type { ServiceName } from "@microshop/topology";
import { useEffect, useState } from "react";
import { canaryHealth, formatElapsed } from "~/lib/deployment-summary";
import { useTRPC } from "~/trpc/react";
import { ActionOutcome } from "../lab/action-outcome";
import styles from "../lab/lab.module.css";
import { useLabAction } from "../lab/use-lab";
import panels from "./panels.module.css";

const count = new Intl.NumberFormat("en-GB");

/** A deploy while it runs: how far, how its calls go, and (a canary) its weight, Promote and Roll back. */
export function DeploymentProgress({ service, deployment }: { service: ServiceName; deployment: Deployment }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const promote = useMutation(trpc.lab.promote.mutationOptions({ onSettled: action.settle }));
  const rollBack = useMutation(trpc.lab.rollBack.mutationOptions({ onSettled: action.settle }));
  const setWeight = useMutation(trpc.lab.setCanaryWeight.mutationOptions({ onSettled: action.settle }));
  // The slider follows the plane's weight until the learner moves it.
  const [weight, setLocalWeight] = useState(deployment.weight);
  useEffect(() => setLocalWeight(deployment.weight), [deployment.weight]);
  const canary = deployment.state === "canary";
  const busy = promote.isPending || rollBack.isPending;
  const total = deployment.calls.ok + deployment.calls.failed;

  return (
    <div data-testid="deployment-progress">
      <p className={panels.hint}>
        <b>
          {deployment.from} → {deployment.to}
        </b>{" "}
        {canary
          ? `canary at ${deployment.weight} % of the calls`
          : `rolling: ${deployment.weight} % of replicas on ${deployment.to}`}
      </p>
      <div
        className={styles.progress}
        role="progressbar"
        aria-label={`${service} deploy progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={deployment.weight}
      >
        <div className={styles.progressBar} style={{ width: `${deployment.weight}%` }} />
      </div>
      <dl className={styles.facts}>
        <dt>calls</dt>
        <dd>
          {count.format(deployment.calls.ok)} ok, {count.format(deployment.calls.failed)} failed of {count.format(total)}
        </dd>
        <dt>new version</dt>
        <dd>{canaryHealth(deployment)}</dd>
        <dt>running for</dt>
        <dd>{formatElapsed(Date.now() - deployment.startedAt)}</dd>
      </dl>
      {canary && (
        <>
          <label className={styles.field}>
            <span>
              Canary weight <span className={styles.fieldValue}>{weight} %</span>
            </span>
            <input
              type="range"
              min={1}
              max={99}
              value={weight}
              onChange={(event) => setLocalWeight(Number(event.target.value))}
              onPointerUp={() => setWeight.mutate({ service, weight }, { onError: action.failed })}
              onKeyUp={() => setWeight.mutate({ service, weight }, { onError: action.failed })}
            />
          </label>
          <div className={panels.buttons} style={{ marginTop: 10 }}>
            <button
              type="button"
              className={panels.button}
              disabled={busy}
              onClick={() =>
                promote.mutate(
                  { service },
                  { onSuccess: () => action.done(`${service} ${deployment.to} promoted.`), onError: action.failed },
                )
              }
            >
              {promote.isPending ? "Promoting…" : "Promote"}
            </button>
            <button
              type="button"
              className={panels.button}
              data-tone="danger"
              disabled={busy}
              onClick={() =>
                rollBack.mutate(
                  { service },
                  { onSuccess: () => action.done(`${service} is back on ${deployment.from}.`), onError: action.failed },
                )
              }
            >
              {rollBack.isPending ? "Rolling back…" : "Roll back"}
            </button>
          </div>
        </>
      )}
      <ActionOutcome action={action} />
    </div>
  );
}
