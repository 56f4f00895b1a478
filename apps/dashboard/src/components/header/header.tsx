import { formatMs, formatPercent, formatRate } from "~/lib/format";
import type { StackMode } from "~/lib/map-model";
import type { Metrics } from "~/telemetry/contract";
import type { LiveStatus } from "../map/live-particles";
import styles from "./header.module.css";

export interface HeaderProps {
  readonly totals: Metrics | null;
  readonly mode: StackMode | null;
  readonly modeKnown: boolean;
  readonly windowSeconds: number;
  readonly live: LiveStatus;
  readonly storefrontUrl: string;
}

const liveText: Record<LiveStatus, string> = { pending: "Live", connecting: "Connecting…", idle: "Paused", error: "Stream lost" };

/** The system at a glance: live totals, the mode, and the way to the store. */
export function Header({ totals, mode, modeKnown, windowSeconds, live, storefrontUrl }: HeaderProps) {
  const errorRate = totals?.errorRate ?? 0;
  return (
    <header className={styles.header}>
      <div className={styles.brand}>
        <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden>
          <circle cx="4" cy="11" r="3" fill="#9aa7c7" />
          <circle cx="18" cy="4.5" r="3" fill="#5fd4c4" />
          <circle cx="18" cy="17.5" r="3" fill="#c792ea" />
          <path d="M7 11 15 5.5M7 11l8 5.5" stroke="#4d6396" strokeWidth="1.6" />
        </svg>
        <span className={styles.title}>Microshop</span>
        <span className={styles.subtitle}>live architecture</span>
      </div>

      <div
        className={styles.mode}
        data-testid="header-mode"
        data-mode={mode ?? "unknown"}
        title={modeKnown ? undefined : "The supervisor is not answering: the mode is a guess from the traffic"}
      >
        <span className={styles.modeIcon} aria-hidden>
          {mode === "monolith" ? "▣" : "⬡"}
        </span>
        {mode ?? "…"}
        {!modeKnown && mode && <span className={styles.guess}>?</span>}
      </div>

      <div className={styles.stats} role="group" aria-label={`Totals over the last ${windowSeconds} seconds`}>
        <dl className={styles.statList}>
          <div className={styles.stat}>
            <dt>req/s</dt>
            <dd data-testid="header-rps">{totals ? formatRate(totals.perSecond) : "—"}</dd>
          </div>
          <div className={styles.stat} data-bad={errorRate > 0.05 || undefined}>
            <dt>errors</dt>
            <dd data-testid="header-error-rate">{totals ? formatPercent(errorRate) : "—"}</dd>
          </div>
          <div className={styles.stat}>
            <dt>p95</dt>
            <dd data-testid="header-p95">{totals ? formatMs(totals.p95Ms) : "—"}</dd>
          </div>
        </dl>
        <span className={styles.window}>last {windowSeconds} s</span>
      </div>

      <div className={styles.live} data-status={live} role="status">
        <span className={styles.liveDot} aria-hidden />
        {liveText[live]}
      </div>

      <a className={styles.store} href={storefrontUrl} target="_blank" rel="noreferrer">
        Open the store <span aria-hidden>↗</span>
      </a>
    </header>
  );
}
