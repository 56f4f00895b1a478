"use client";

import { useMutation } from "@tanstack/react-query";
import type { LabSnapshot } from "@microshop/lab";
import { formatMs, formatPercent, formatRate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { ClearFaultsButton } from "./clear-faults-button";
import styles from "./lab-bar.module.css";
import { successRate } from "./load-controls";
import { useLabAction } from "./use-lab";

export interface LabBarProps {
  readonly snapshot: LabSnapshot | null;
  readonly unavailable: string | null;
  readonly showLoad: boolean;
  readonly onShowLoad: (show: boolean) => void;
  readonly onOpenLab: () => void;
}

/** Over the map: the load generator at a glance, start/stop, show or hide its traffic, clear every fault. */
export function LabBar({ snapshot, unavailable, showLoad, onShowLoad, onOpenLab }: LabBarProps) {
  const trpc = useTRPC();
  const action = useLabAction();
  const start = useMutation(trpc.lab.startLoad.mutationOptions({ onSettled: action.settle }));
  const stop = useMutation(trpc.lab.stopLoad.mutationOptions({ onSettled: action.settle }));
  const load = snapshot?.load;
  const rate = load ? successRate(load) : null;
  return (
    <div className={styles.bar} role="group" aria-label="Lab" data-testid="lab-bar">
      <span className={styles.title}>Lab</span>
      {!snapshot || !load ? (
        <span className={styles.off} title={unavailable ?? undefined}>
          off: needs <code>pnpm start</code>
        </span>
      ) : (
        <>
          <span className={styles.load} aria-live="polite" data-running={load.running || undefined}>
            {load.running
              ? `load ${formatRate(load.recent.perSecond)}/s · ${rate === null ? "–" : formatPercent(rate)} ok · p95 ${load.recent.p95Ms === null ? "–" : formatMs(load.recent.p95Ms)}`
              : "no load"}
          </span>
          <button
            type="button"
            className={styles.button}
            disabled={start.isPending || stop.isPending}
            title={action.outcome && !action.outcome.ok ? action.outcome.text : undefined}
            onClick={() =>
              load.running
                ? stop.mutate(undefined, { onError: action.failed })
                : start.mutate(load.settings, { onError: action.failed })
            }
          >
            {load.running ? "Stop load" : "Start load"}
          </button>
          <label className={styles.toggle}>
            <input type="checkbox" checked={showLoad} onChange={(event) => onShowLoad(event.target.checked)} />
            Show load traffic
          </label>
          <ClearFaultsButton count={snapshot.faults.length} compact />
        </>
      )}
      <button type="button" className={styles.button} onClick={onOpenLab}>
        Lab settings
      </button>
      {action.outcome && !action.outcome.ok && (
        <span className={styles.error} role="alert">
          {action.outcome.text}
        </span>
      )}
    </div>
  );
}
