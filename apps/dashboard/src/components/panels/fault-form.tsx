"use client";

import { useMutation } from "@tanstack/react-query";
import type { FaultInput, FaultTarget } from "@microshop/lab";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { ActionOutcome } from "../lab/action-outcome";
import styles from "../lab/lab.module.css";
import { useLabAction } from "../lab/use-lab";
import panels from "./panels.module.css";

interface Draft {
  latencyMs: number;
  jitterMs: number;
  errorPercent: number;
  timeout: boolean;
  unreachable: boolean;
  cpuMs: number;
  concurrency: string;
}

const empty: Draft = {
  latencyMs: 0,
  jitterMs: 0,
  errorPercent: 0,
  timeout: false,
  unreachable: false,
  cpuMs: 0,
  concurrency: "",
};

/** The fault a draft asks for; null while it does nothing yet. */
export function faultOf(target: FaultTarget, draft: Draft): FaultInput | null {
  const input: FaultInput = {
    target,
    latencyMs: draft.latencyMs,
    jitterMs: draft.jitterMs,
    errorRate: draft.errorPercent / 100,
    timeout: draft.timeout,
    unreachable: draft.unreachable,
    ...(target.kind === "service" ? { cpuMs: draft.cpuMs } : {}),
    ...(target.kind === "service" && draft.concurrency !== "" ? { concurrency: Number(draft.concurrency) } : {}),
  };
  const acts =
    draft.latencyMs > 0 ||
    draft.jitterMs > 0 ||
    draft.errorPercent > 0 ||
    draft.timeout ||
    draft.unreachable ||
    (target.kind === "service" && (draft.cpuMs > 0 || draft.concurrency !== ""));
  return acts ? input : null;
}

const clampInt = (value: string, max: number) => Math.max(0, Math.min(max, Math.round(Number(value) || 0)));

/** Add a fault: on every call into a service (what the network does and what a replica bears) or on one edge. */
export function FaultForm({ target, label }: { target: FaultTarget; label: string }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const [draft, setDraft] = useState<Draft>(empty);
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  const add = useMutation(trpc.lab.setFault.mutationOptions({ onSettled: action.settle }));
  const fault = faultOf(target, draft);
  const onService = target.kind === "service";

  return (
    <form
      className={styles.form}
      aria-label={`Add a fault to ${label}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!fault) return;
        action.clear();
        add.mutate(fault, {
          onSuccess: () => {
            action.done(`Fault added to ${label}.`);
            setDraft(empty);
          },
          onError: action.failed,
        });
      }}
    >
      <div className={styles.row}>
        <label className={styles.field}>
          Latency (ms)
          <input
            type="number"
            min={0}
            max={10_000}
            step={50}
            value={draft.latencyMs}
            onChange={(e) => set({ latencyMs: clampInt(e.target.value, 10_000) })}
          />
        </label>
        <label className={styles.field}>
          Jitter ± (ms)
          <input
            type="number"
            min={0}
            max={10_000}
            step={10}
            value={draft.jitterMs}
            onChange={(e) => set({ jitterMs: clampInt(e.target.value, 10_000) })}
          />
        </label>
      </div>
      <label className={styles.field}>
        <span>
          Errors <span className={styles.fieldValue}>{draft.errorPercent} % of calls</span>
        </span>
        <input
          type="range"
          min={0}
          max={100}
          value={draft.errorPercent}
          onChange={(e) => set({ errorPercent: Number(e.target.value) })}
        />
      </label>
      <div className={styles.fieldset}>
        <label className={styles.check}>
          <input type="checkbox" checked={draft.timeout} onChange={(e) => set({ timeout: e.target.checked })} />
          Time out every call
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={draft.unreachable} onChange={(e) => set({ unreachable: e.target.checked })} />
          Unreachable
        </label>
      </div>
      {onService && (
        <div className={styles.row}>
          <label className={styles.field}>
            CPU per call (ms)
            <input
              type="number"
              min={0}
              max={1_000}
              step={5}
              value={draft.cpuMs}
              onChange={(e) => set({ cpuMs: clampInt(e.target.value, 1_000) })}
            />
          </label>
          <label className={styles.field}>
            Calls at once per replica
            <input
              type="number"
              min={1}
              max={256}
              placeholder="no limit"
              value={draft.concurrency}
              onChange={(e) =>
                set({ concurrency: e.target.value === "" ? "" : String(Math.max(1, clampInt(e.target.value, 256))) })
              }
            />
          </label>
        </div>
      )}
      <button type="submit" className={panels.button} disabled={!fault || add.isPending}>
        {add.isPending ? "Adding…" : "Add fault"}
      </button>
      <ActionOutcome action={action} />
    </form>
  );
}
