"use client";

import { useMutation } from "@tanstack/react-query";
import type { LabSnapshot } from "@microshop/lab";
import { scenarios } from "@microshop/lab/scenarios";
import { useTRPC } from "~/trpc/react";
import { ActionOutcome } from "./action-outcome";
import styles from "./lab.module.css";
import { useLabAction } from "./use-lab";

/** The named experiments: each applied and cleared as one, with what to look for. */
export function ScenarioList({ snapshot }: { snapshot: LabSnapshot }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const apply = useMutation(trpc.lab.applyScenario.mutationOptions({ onSettled: action.settle }));
  const clear = useMutation(trpc.lab.clearScenario.mutationOptions({ onSettled: action.settle }));
  const busy = apply.isPending || clear.isPending;
  return (
    <section aria-label="Scenarios">
      <ul className={styles.faultList}>
        {snapshot.scenarios.map((scenario) => (
          <li key={scenario.name} className={styles.scenario} data-active={scenario.active || undefined}>
            <div className={styles.scenarioHead}>
              <span>{scenario.title}</span>
              {scenario.active ? (
                <button
                  type="button"
                  className={styles.smallButton}
                  aria-label={`Clear the scenario ${scenario.title}`}
                  disabled={busy}
                  onClick={() => clear.mutate({ name: scenario.name }, { onError: action.failed, onSuccess: action.clear })}
                >
                  Clear
                </button>
              ) : (
                <button
                  type="button"
                  className={styles.smallButton}
                  aria-label={`Apply the scenario ${scenario.title}`}
                  disabled={busy}
                  onClick={() =>
                    apply.mutate(
                      { name: scenario.name },
                      {
                        onError: action.failed,
                        onSuccess: () => action.done(`${scenario.title}: ${scenarios[scenario.name].lesson}`),
                      },
                    )
                  }
                >
                  Apply
                </button>
              )}
            </div>
            <p>{scenarios[scenario.name].lesson}</p>
          </li>
        ))}
      </ul>
      <ActionOutcome action={action} />
    </section>
  );
}
