"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { errorMessage } from "~/lib/error-message";
import { formatClock, formatMs } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { serviceColor } from "../map/status";
import styles from "./traces.module.css";

export interface TraceListProps {
  readonly selectedTraceId: string | null;
  readonly onOpenTrace: (traceId: string) => void;
}

type StatusFilter = "all" | "ok" | "error";

/** Recent traces, refreshed live, filtered by operation, status and minimum duration. */
export function TraceList({ selectedTraceId, onOpenTrace }: TraceListProps) {
  const trpc = useTRPC();
  const [operation, setOperation] = useState("");
  const [status, setStatus] = useState<StatusFilter>("all");
  const [minDuration, setMinDuration] = useState("");
  const deferredOperation = useDeferredValue(operation.trim());
  const minDurationMs = minDuration === "" ? undefined : Math.max(0, Number(minDuration) || 0);
  const traces = useQuery(
    trpc.traces.list.queryOptions(
      { limit: 60, operation: deferredOperation || undefined, status: status === "all" ? undefined : status, minDurationMs },
      { refetchInterval: 2_000, placeholderData: keepPreviousData },
    ),
  );
  const longest = Math.max(1, ...(traces.data ?? []).map((trace) => trace.durationMs));

  return (
    <section className={styles.listPanel} aria-label="Recent traces">
      <form className={styles.filters} onSubmit={(event) => event.preventDefault()} role="search">
        <label className={styles.filterGrow}>
          <span className="visually-hidden">Operation</span>
          <input
            type="search"
            placeholder="Filter operations…"
            value={operation}
            onChange={(event) => setOperation(event.target.value)}
          />
        </label>
        <label>
          <span className="visually-hidden">Status</span>
          <select value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
            <option value="all">All</option>
            <option value="ok">OK</option>
            <option value="error">Errors</option>
          </select>
        </label>
        <label className={styles.minDuration}>
          <span className="visually-hidden">Minimum duration in milliseconds</span>
          <input
            type="number"
            min={0}
            step={5}
            placeholder="≥ ms"
            value={minDuration}
            onChange={(event) => setMinDuration(event.target.value)}
          />
        </label>
      </form>
      {traces.error ? (
        <p className={styles.message}>{errorMessage(traces.error)}</p>
      ) : traces.data && traces.data.length === 0 ? (
        <p className={styles.message}>No traces match yet. Use the store and they appear here.</p>
      ) : (
        <ul className={styles.rows}>
          {(traces.data ?? []).map((trace) => (
            <li key={trace.traceId}>
              <button
                type="button"
                className={styles.row}
                data-testid="trace-row"
                data-error={trace.error || undefined}
                data-selected={trace.traceId === selectedTraceId || undefined}
                onClick={() => onOpenTrace(trace.traceId)}
              >
                {/* The name is the visible text, with words for what the colours say (WCAG 2.5.3). */}
                <span className="visually-hidden">Open trace </span>
                <span className={trace.error ? styles.errorDot : styles.okDot} aria-hidden />
                {trace.error && <span className="visually-hidden">failed: </span>}
                <span className={styles.rowMain}>
                  <span className={styles.rowName}>{trace.rootName}</span>
                  <span className={styles.rowServices}>
                    {trace.services.map((service) => (
                      <span
                        key={service}
                        className={styles.serviceChip}
                        style={{ background: serviceColor(service) }}
                        title={service}
                        aria-hidden
                      />
                    ))}
                    <span className={styles.rowMeta}>
                      {trace.spanCount} spans · {formatClock(trace.startMs)}
                    </span>
                  </span>
                </span>
                <span className={styles.rowDuration}>
                  {formatMs(trace.durationMs)}
                  <span className={styles.durationBar} style={{ width: `${Math.max(4, (trace.durationMs / longest) * 100)}%` }} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
