"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { errorMessage } from "~/lib/error-message";
import { formatClock, formatMs } from "~/lib/format";
import { replaySpeeds, type ReplaySpeed } from "~/lib/replay";
import { traceRequests } from "~/lib/trace-path";
import { timeTicks, waterfallRows } from "~/lib/waterfall";
import type { Span } from "~/telemetry/contract";
import { useTRPC } from "~/trpc/react";
import { serviceColor } from "../map/status";
import styles from "./traces.module.css";
import { useReplay } from "./use-replay";

export interface TraceViewProps {
  readonly traceId: string;
  readonly onClose: () => void;
}

/** One trace: its waterfall, a span's attributes, and the slow-motion replay on the map. */
export function TraceView({ traceId, onClose }: TraceViewProps) {
  const trpc = useTRPC();
  const trace = useQuery(trpc.traces.get.queryOptions({ traceId }, { staleTime: 5_000 }));
  const spans = trace.data?.spans;
  const rows = useMemo(() => waterfallRows(spans ?? []), [spans]);
  const requests = useMemo(() => traceRequests(spans ?? []), [spans]);
  const [speed, setSpeed] = useState<ReplaySpeed>(10);
  const [selectedSpanId, setSelectedSpanId] = useState<string | null>(null);
  const replay = useReplay(requests);
  const selectedSpan = spans?.find((span) => span.spanId === selectedSpanId) ?? null;

  return (
    <section className={styles.traceView} data-testid="trace-view" data-trace-id={traceId} aria-label="Trace">
      <header className={styles.traceHeader}>
        <div className={styles.traceTitle}>
          <span className={trace.data?.error ? styles.errorDot : styles.okDot} aria-hidden />
          <h2 title={`trace ${traceId}`}>{trace.data?.rootName ?? "Trace"}</h2>
          {trace.data && (
            <span className={styles.traceMeta}>
              {formatMs(trace.data.durationMs)} · {trace.data.spanCount} spans · {requests.length} requests ·{" "}
              {formatClock(trace.data.startMs)}
            </span>
          )}
        </div>
        <div className={styles.replay}>
          <label>
            <span className="visually-hidden">Replay speed</span>
            <select
              value={speed}
              onChange={(event) => setSpeed(Number(event.target.value) as ReplaySpeed)}
              aria-label="Replay speed"
            >
              {replaySpeeds.map((option) => (
                <option key={option} value={option}>
                  ×{option} slower
                </option>
              ))}
            </select>
          </label>
          {replay.running ? (
            <button type="button" className={styles.replayButton} onClick={replay.stop}>
              <span aria-hidden>■</span> Stop the replay
            </button>
          ) : (
            <button
              type="button"
              className={styles.replayButton}
              onClick={() => replay.play(speed)}
              disabled={requests.length === 0}
            >
              <span aria-hidden>▶</span> Replay in slow motion
            </button>
          )}
          <button type="button" className={styles.close} onClick={onClose} aria-label="Close the trace">
            ×
          </button>
        </div>
      </header>

      {trace.error ? (
        <p className={styles.message}>{errorMessage(trace.error)}</p>
      ) : !trace.data ? (
        <p className={styles.message}>Loading the trace…</p>
      ) : (
        <div className={styles.traceBody}>
          <div className={styles.waterfall}>
            {/* The ruler is a picture of the time axis; each span's button says its own duration. */}
            <div className={styles.ruler} aria-hidden>
              <span className={styles.labelCell}>service · span</span>
              <span className={styles.track}>
                {timeTicks(trace.data.durationMs).map((tick) => (
                  <span key={tick.label} className={styles.tick} style={{ left: `${tick.pct}%` }}>
                    {tick.label}
                  </span>
                ))}
                {replay.running && (
                  <span
                    key={replay.running.startedAt}
                    className={styles.sweep}
                    style={{ animationDuration: `${trace.data.durationMs * replay.running.speed}ms` }}
                  />
                )}
              </span>
            </div>
            <div className={styles.waterfallRows} role="group" aria-label="Spans by time">
              {rows.map((row) => (
                <button
                  type="button"
                  key={row.span.spanId}
                  className={styles.spanRow}
                  aria-pressed={row.span.spanId === selectedSpanId}
                  data-error={row.span.error || undefined}
                  data-selected={row.span.spanId === selectedSpanId || undefined}
                  onClick={() => setSelectedSpanId(row.span.spanId === selectedSpanId ? null : row.span.spanId)}
                >
                  {row.span.error && <span className="visually-hidden">failed: </span>}
                  <span className={styles.labelCell} style={{ paddingLeft: 8 + row.depth * 12 }}>
                    <span className={styles.serviceChip} style={{ background: serviceColor(row.span.service) }} aria-hidden />
                    <span className={styles.spanService}>{row.span.service}</span>
                    <span className={styles.spanName}>{row.span.name}</span>
                  </span>
                  <span className={styles.track}>
                    <span
                      className={styles.bar}
                      style={{
                        left: `${row.offsetPct}%`,
                        width: `${row.widthPct}%`,
                        background: row.span.error ? "var(--error)" : serviceColor(row.span.service),
                      }}
                    />
                    <span
                      className={styles.barLabel}
                      data-inside={row.offsetPct + row.widthPct > 80 || undefined}
                      style={
                        row.offsetPct + row.widthPct > 80
                          ? { right: `${100 - row.offsetPct - row.widthPct + 0.6}%` }
                          : { left: `${row.offsetPct + row.widthPct + 0.8}%` }
                      }
                    >
                      {formatMs(row.span.durationMs)}
                    </span>
                  </span>
                </button>
              ))}
            </div>
          </div>
          {selectedSpan && <SpanDetail span={selectedSpan} onClose={() => setSelectedSpanId(null)} />}
        </div>
      )}
    </section>
  );
}

function SpanDetail({ span, onClose }: { span: Span; onClose: () => void }) {
  const attributes = Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <aside className={styles.spanDetail} aria-label="Span attributes" data-testid="span-detail">
      <header>
        <div>
          <div className={styles.spanDetailService} style={{ color: serviceColor(span.service) }}>
            {span.service} · {span.kind}
          </div>
          <h3>{span.name}</h3>
        </div>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close the span">
          ×
        </button>
      </header>
      <dl>
        <div className={styles.attribute}>
          <dt>duration</dt>
          <dd>{formatMs(span.durationMs)}</dd>
        </div>
        <div className={styles.attribute}>
          <dt>status</dt>
          <dd data-bad={span.error || undefined}>{span.error ? "error" : "ok"}</dd>
        </div>
        {/* The service keeps the OTLP status message beside the attributes, not among them. */}
        {span.statusMessage ? (
          <div className={styles.attribute}>
            <dt>status message</dt>
            <dd>{span.statusMessage}</dd>
          </div>
        ) : null}
        <div className={styles.attribute}>
          <dt>span id</dt>
          <dd>{span.spanId}</dd>
        </div>
        {attributes.map(([key, value]) => (
          <div key={key} className={styles.attribute}>
            <dt>{key}</dt>
            <dd>{String(value)}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
