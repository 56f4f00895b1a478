"use client";

import { useQuery } from "@tanstack/react-query";
import type { LabSnapshot } from "@microshop/lab";
import { errorMessage } from "~/lib/error-message";
import { formatClock, formatMs } from "~/lib/format";
import type { MapEdge } from "~/lib/map-model";
import { useTRPC } from "~/trpc/react";
import { EdgeLabSection } from "./edge-lab-section";
import { MetricGrid } from "./metric-grid";
import styles from "./panels.module.css";

export interface EdgePanelProps {
  readonly edge: MapEdge;
  readonly windowSeconds: number;
  readonly snapshot: LabSnapshot | null;
  readonly labUnavailable: string | null;
  readonly includeSynthetic: boolean;
  readonly onOpenTrace: (traceId: string) => void;
  readonly onClose: () => void;
}

/** One edge: its traffic, and the latest requests that crossed it, each opening its trace. */
export function EdgePanel({
  edge,
  windowSeconds,
  snapshot,
  labUnavailable,
  includeSynthetic,
  onOpenTrace,
  onClose,
}: EdgePanelProps) {
  const trpc = useTRPC();
  const requests = useQuery(
    trpc.inspect.edge.queryOptions(
      { source: edge.source, target: edge.target, limit: 40, includeSynthetic },
      { refetchInterval: 2_000 },
    ),
  );
  return (
    <section className={styles.panel} aria-label={`Requests from ${edge.source} to ${edge.target}`} data-testid="edge-panel">
      <header className={styles.panelHeader}>
        <div>
          <div className={styles.kicker}>{edge.target.includes("/") ? "queries" : "calls"}</div>
          <h2 className={styles.panelTitle}>
            {edge.source} <span className={styles.arrow}>→</span> {edge.target}
          </h2>
        </div>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <h3 className={styles.sectionTitle}>Last {windowSeconds} s</h3>
      <MetricGrid metrics={edge.metrics} windowSeconds={windowSeconds} />
      <EdgeLabSection source={edge.source} target={edge.target} snapshot={snapshot} unavailable={labUnavailable} />
      <h3 className={styles.sectionTitle}>Recent requests</h3>
      {requests.error ? (
        <p className={styles.error}>{errorMessage(requests.error)}</p>
      ) : requests.data && requests.data.length > 0 ? (
        <ul className={styles.list}>
          {requests.data.map((request) => (
            <li key={request.spanId} data-testid="edge-request" data-trace-id={request.traceId}>
              <button type="button" className={styles.rowButton} onClick={() => onOpenTrace(request.traceId)}>
                {/* The name is the visible text, with words for what the colours say (WCAG 2.5.3). */}
                <span className="visually-hidden">Open the trace of </span>
                <span className={request.error ? styles.errorDot : styles.okDot} aria-hidden />
                {request.error && <span className="visually-hidden">failed: </span>}
                <span className={styles.rowMain}>
                  <span className={styles.mono}>{request.name}</span>
                </span>
                <span className={styles.rowDuration}>{formatMs(request.durationMs)}</span>
                <span className={styles.rowTime}>{formatClock(request.startMs)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.empty}>{requests.isPending ? "Loading…" : "Nothing has crossed this edge recently."}</p>
      )}
    </section>
  );
}
