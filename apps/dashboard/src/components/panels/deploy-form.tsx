"use client";

import { useMutation } from "@tanstack/react-query";
import { versionFlavours, type VersionFlavour } from "@microshop/lab/values";
import type { ServiceName } from "@microshop/topology";
import { useId, useState } from "react";
import { nextMinor } from "~/lib/lab-model";
import { useTRPC } from "~/trpc/react";
import { ActionOutcome } from "../lab/action-outcome";
import styles from "../lab/lab.module.css";
import { useLabAction } from "../lab/use-lab";
import panels from "./panels.module.css";

const flavourLabel: Record<VersionFlavour, string> = {
  good: "Good: the same service, a new version",
  errors: "Answers errors: a bad build",
  breaking: "Breaking API change: refuses what callers send",
};

/** Deploy a new version of one service: which, what it does, and how (rolling, or a canary at a weight). */
export function DeployForm({
  service,
  current,
  disabledReason,
}: {
  service: ServiceName;
  current: string;
  disabledReason: string | null;
}) {
  const trpc = useTRPC();
  const id = useId();
  const action = useLabAction();
  const [version, setVersion] = useState(() => nextMinor(current));
  const [flavour, setFlavour] = useState<VersionFlavour>("good");
  const [strategy, setStrategy] = useState<"rolling" | "canary">("rolling");
  const [weight, setWeight] = useState(20);
  const [rollbackAbove, setRollbackAbove] = useState(20);
  const deploy = useMutation(trpc.lab.deploy.mutationOptions({ onSettled: action.settle }));
  const valid = /^\d+\.\d+\.\d+(-[a-z0-9.]+)?$/.test(version) && version !== current;

  return (
    <form
      className={styles.form}
      aria-label={`Deploy a new version of ${service}`}
      onSubmit={(event) => {
        event.preventDefault();
        action.clear();
        deploy.mutate(
          {
            service,
            version,
            flavour,
            strategy:
              strategy === "canary" ? { kind: "canary", weight, rollbackAbove: rollbackAbove / 100 } : { kind: "rolling" },
          },
          {
            onSuccess: (deployment) => {
              action.done(
                deployment.state === "canary"
                  ? `${service} ${deployment.to} takes ${deployment.weight} % of the calls.`
                  : `${service} runs ${deployment.to}.`,
              );
              setVersion(nextMinor(deployment.to));
            },
            onError: action.failed,
          },
        );
      }}
    >
      <div className={styles.row}>
        <label className={styles.field}>
          Version
          <input type="text" value={version} onChange={(event) => setVersion(event.target.value.trim())} spellCheck={false} />
        </label>
        <label className={styles.field}>
          It does
          <select value={flavour} onChange={(event) => setFlavour(event.target.value as VersionFlavour)}>
            {versionFlavours.map((value) => (
              <option key={value} value={value}>
                {flavourLabel[value]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className={styles.fieldset}>
        <legend>Strategy</legend>
        {(["rolling", "canary"] as const).map((value) => (
          <label key={value} className={styles.check}>
            <input
              type="radio"
              name={`${id}-strategy`}
              value={value}
              checked={strategy === value}
              onChange={() => setStrategy(value)}
            />
            {value === "rolling" ? "Rolling, one replica at a time" : "Canary"}
          </label>
        ))}
      </fieldset>
      {strategy === "canary" && (
        <div className={styles.row}>
          <label className={styles.field}>
            <span>
              Canary weight <span className={styles.fieldValue}>{weight} %</span>
            </span>
            <input type="range" min={1} max={99} value={weight} onChange={(event) => setWeight(Number(event.target.value))} />
          </label>
          <label className={styles.field}>
            <span>
              Roll back above <span className={styles.fieldValue}>{rollbackAbove} % errors</span>
            </span>
            <input
              type="range"
              min={1}
              max={100}
              value={rollbackAbove}
              onChange={(event) => setRollbackAbove(Number(event.target.value))}
            />
          </label>
        </div>
      )}
      <button
        type="submit"
        className={panels.button}
        disabled={!valid || deploy.isPending || disabledReason !== null}
        title={disabledReason ?? (valid ? undefined : `A new version, like ${nextMinor(current)}`)}
      >
        {deploy.isPending ? `Deploying ${version}…` : `Deploy ${service} ${version}`}
      </button>
      {disabledReason && <p className={panels.hint}>{disabledReason}</p>}
      <ActionOutcome action={action} />
    </form>
  );
}
