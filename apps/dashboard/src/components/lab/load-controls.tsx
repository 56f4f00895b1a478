"use client";

import { useMutation } from "@tanstack/react-query";
import type { LoadSettings, LoadStatus } from "@microshop/lab";
import { defaultLoadSettings, journeyNames, MAX_RATE, type JourneyName } from "@microshop/lab/values";
import { useState } from "react";
import { formatMs, formatPercent, formatRate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import panels from "../panels/panels.module.css";
import { ActionOutcome } from "./action-outcome";
import styles from "./lab.module.css";
import { useLabAction } from "./use-lab";

const journeyLabel: Record<JourneyName, string> = {
  browse: "Browse",
  search: "Search",
  cart: "Add to cart",
  signUp: "Sign up",
  checkout: "Check out",
};

/** The success rate of the last ten seconds' journeys; null before any finished. */
export function successRate(status: LoadStatus): number | null {
  const finished = status.recent.succeeded + status.recent.failed;
  return finished === 0 ? null : status.recent.succeeded / finished;
}

/** The load generator: its settings (rate, mix, declined cards), start and stop, and how its journeys fare. */
export function LoadControls({ status }: { status: LoadStatus }) {
  const trpc = useTRPC();
  const action = useLabAction();
  const [settings, setSettings] = useState<LoadSettings>(() => (status.running ? status.settings : defaultLoadSettings));
  const start = useMutation(trpc.lab.startLoad.mutationOptions({ onSettled: action.settle }));
  const stop = useMutation(trpc.lab.stopLoad.mutationOptions({ onSettled: action.settle }));
  const mixEmpty = journeyNames.every((name) => settings.mix[name] === 0);
  const rate = successRate(status);

  return (
    <section aria-label="Load generator">
      <dl className={styles.stats}>
        <div className={styles.stat}>
          <dt>journeys/s</dt>
          <dd>{status.running ? formatRate(status.recent.perSecond) : "off"}</dd>
        </div>
        <div className={styles.stat}>
          <dt>succeeded</dt>
          <dd>{rate === null ? "–" : formatPercent(rate)}</dd>
        </div>
        <div className={styles.stat}>
          <dt>p95</dt>
          <dd>{status.recent.p95Ms === null ? "–" : formatMs(status.recent.p95Ms)}</dd>
        </div>
      </dl>
      <form
        className={styles.form}
        aria-label="Load settings"
        onSubmit={(event) => {
          event.preventDefault();
          action.clear();
          start.mutate(settings, {
            onSuccess: (next) => action.done(`Load running: ${formatRate(next.settings.rate)} journeys a second.`),
            onError: action.failed,
          });
        }}
      >
        <label className={styles.field}>
          <span>
            Rate <span className={styles.fieldValue}>{settings.rate} journeys/s</span>
          </span>
          <input
            type="range"
            min={0}
            max={MAX_RATE}
            value={settings.rate}
            onChange={(event) => setSettings({ ...settings, rate: Number(event.target.value) })}
          />
        </label>
        <fieldset className={styles.form} style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className={styles.field}>Mix of journeys (relative weights)</legend>
          {journeyNames.map((name) => (
            <label key={name} className={styles.field}>
              <span>
                {journeyLabel[name]} <span className={styles.fieldValue}>{settings.mix[name]}</span>
              </span>
              <input
                type="range"
                min={0}
                max={100}
                value={settings.mix[name]}
                onChange={(event) => setSettings({ ...settings, mix: { ...settings.mix, [name]: Number(event.target.value) } })}
              />
            </label>
          ))}
        </fieldset>
        <label className={styles.field}>
          <span>
            Declined cards <span className={styles.fieldValue}>{Math.round(settings.declineShare * 100)} % of checkouts</span>
          </span>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(settings.declineShare * 100)}
            onChange={(event) => setSettings({ ...settings, declineShare: Number(event.target.value) / 100 })}
          />
        </label>
        <div className={panels.buttons}>
          <button type="submit" className={panels.button} disabled={mixEmpty || start.isPending}>
            {start.isPending ? "Starting…" : status.running ? "Apply settings" : "Start load"}
          </button>
          <button
            type="button"
            className={panels.button}
            data-tone="danger"
            disabled={!status.running || stop.isPending}
            onClick={() => stop.mutate(undefined, { onSuccess: () => action.done("Load stopped."), onError: action.failed })}
          >
            {stop.isPending ? "Stopping…" : "Stop load"}
          </button>
        </div>
        {mixEmpty && <p className={panels.hint}>Give at least one journey a weight above zero.</p>}
      </form>
      <ActionOutcome action={action} />
    </section>
  );
}
