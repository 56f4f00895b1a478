import type { SpanRecord } from "./otlp";

export interface TraceSummary {
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly services: string[];
  readonly error: boolean;
}

/** One line of the trace list. Loops, not `Math.min(...spans)`: a huge trace would overflow the stack. */
export function summarize(spans: readonly SpanRecord[]): TraceSummary {
  const ids = new Set<string>();
  const services = new Set<string>();
  let start = Infinity;
  let end = -Infinity;
  let error = false;
  for (const span of spans) {
    ids.add(span.spanId);
    services.add(span.service);
    start = Math.min(start, span.startMs);
    end = Math.max(end, span.startMs + span.durationMs);
    error ||= span.error;
  }
  // The root is the span without a parent here (or whose parent has not arrived yet).
  const root = spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId)) ?? spans[0]!;
  return {
    traceId: root.traceId,
    rootName: root.name,
    rootService: root.service,
    startMs: start,
    durationMs: end - start,
    spanCount: spans.length,
    services: [...services].sort(),
    error,
  };
}

/** Waterfall order: by start time, a parent before its children when they start together. */
export function waterfall(spans: readonly SpanRecord[]): SpanRecord[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const depths = new Map<SpanRecord, number>();
  const depth = (span: SpanRecord): number => {
    let known = depths.get(span);
    if (known === undefined) {
      known = 0;
      for (let parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; parent && known < 1_000; known++) {
        parent = parent.parentSpanId ? byId.get(parent.parentSpanId) : undefined;
      }
      depths.set(span, known);
    }
    return known;
  };
  return [...spans].sort((a, b) => a.startMs - b.startMs || depth(a) - depth(b));
}
