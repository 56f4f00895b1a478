"use client";

import { useMutation } from "@tanstack/react-query";
import type { ServiceName } from "@microshop/topology";
import { formatRate } from "~/lib/format";
import type { ServiceLab } from "~/lib/lab-model";
import { useTRPC } from "~/trpc/react";
import { useLabAction } from "../lab/use-lab";
import styles from "./map.module.css";

/** Stops a press inside a node from also selecting the node (React Flow listens on the node). */
const inNode = (event: React.SyntheticEvent) => event.stopPropagation();

/** − and + on the node itself: one replica fewer or more, the reason in the tooltip when off. */
function NodeScaleButtons({ service, lab }: { service: ServiceName; lab: ServiceLab }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const scale = useMutation(trpc.lab.scale.mutationOptions({ onSettled: action.settle }));
  const failed = action.outcome && !action.outcome.ok ? action.outcome.text : null;
  const press = (replicas: number) => (event: React.MouseEvent) => {
    event.stopPropagation();
    action.clear();
    scale.mutate({ service, replicas }, { onError: action.failed });
  };
  return (
    <span className={`${styles.scaleButtons} nodrag nopan`} onDoubleClick={inNode} onKeyDown={inNode}>
      <button
        type="button"
        className={styles.scaleButton}
        aria-label={`One replica fewer of ${service}${lab.cannotScaleDown ? `: ${lab.cannotScaleDown}` : ""}`}
        title={lab.cannotScaleDown ?? failed ?? "One replica fewer"}
        disabled={lab.cannotScaleDown !== null || scale.isPending}
        onClick={press(lab.replicas - 1)}
      >
        −
      </button>
      <button
        type="button"
        className={styles.scaleButton}
        aria-label={`One replica more of ${service}${lab.cannotScaleUp ? `: ${lab.cannotScaleUp}` : ""}`}
        title={lab.cannotScaleUp ?? failed ?? "One replica more"}
        disabled={lab.cannotScaleUp !== null || scale.isPending}
        onClick={press(lab.replicas + 1)}
        data-failed={failed !== null || undefined}
      >
        +
      </button>
    </span>
  );
}

/** One chip per replica with its own rate, coloured by version while two run; − and + beside them. */
export function ReplicaChips({ service, lab, online }: { service: ServiceName | null; lab: ServiceLab; online: boolean }) {
  return (
    <div className={styles.replicas}>
      <span className={styles.chips} role="list" aria-label="Replicas">
        {lab.chips.map((chip) => {
          const words = `${chip.name}, version ${chip.version ?? "unknown"}, ${chip.state}, ${formatRate(chip.perSecond)} requests a second over the last 10 s${chip.weight === null ? "" : `, ${chip.weight} % of calls`}`;
          return (
            <span
              key={chip.name}
              role="listitem"
              className={styles.chip}
              data-tone={chip.tone ?? undefined}
              data-state={chip.state}
              data-instance={chip.name}
              title={words}
              aria-label={words}
            >
              {formatRate(chip.perSecond)}
            </span>
          );
        })}
      </span>
      {service && online && <NodeScaleButtons service={service} lab={lab} />}
    </div>
  );
}
