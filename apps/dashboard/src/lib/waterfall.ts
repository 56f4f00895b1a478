import type { Span } from "~/telemetry/contract";

export interface WaterfallRow {
  readonly span: Span;
  readonly depth: number;
  /** Where the bar starts, in percent of the trace's duration. */
  readonly offsetPct: number;
  /** How wide the bar is, in percent; never less than `minWidthPct` so short spans stay clickable. */
  readonly widthPct: number;
}

export const minWidthPct = 0.4;

/**
 * The rows of a trace's waterfall: spans in tree order (a parent, then its children by start time),
 * indented by depth, bars placed by start and duration relative to the whole trace. A span whose
 * parent is missing from the trace starts a tree of its own.
 */
export function waterfallRows(spans: readonly Span[]): WaterfallRow[] {
  if (spans.length === 0) return [];
  const start = Math.min(...spans.map((span) => span.startMs));
  const end = Math.max(...spans.map((span) => span.startMs + span.durationMs));
  const total = Math.max(end - start, 0.001);
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId));

  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (span: Span, depth: number) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    const offsetPct = ((span.startMs - start) / total) * 100;
    const widthPct = Math.min(100 - offsetPct, Math.max(minWidthPct, (span.durationMs / total) * 100));
    rows.push({ span, depth, offsetPct, widthPct: Math.max(widthPct, 0) });
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  return rows;
}

/** Evenly spaced time marks for the waterfall's ruler: "0 ms", "25 ms", ... */
export function timeTicks(totalMs: number, count = 4): Array<{ pct: number; label: string }> {
  const step = niceStep(totalMs / count);
  const ticks: Array<{ pct: number; label: string }> = [];
  for (let t = 0; t <= totalMs + 1e-9 && ticks.length < 20; t += step)
    ticks.push({ pct: totalMs === 0 ? 0 : (t / totalMs) * 100, label: formatMs(t) });
  return ticks;
}

function niceStep(raw: number): number {
  if (raw <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10) * power;
}

export function formatMs(ms: number): string {
  if (ms >= 1_000) return `${(ms / 1_000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  if (ms >= 10 || ms === 0) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}
