import type { SpanRecord } from "./otlp";

/**
 * Recent spans, grouped by trace, in bounded memory: past `maxSpans` the oldest traces go first,
 * so memory stays flat under any load. A Map keeps insertion order, which is age here.
 */
export class TraceStore {
  private readonly traces = new Map<string, SpanRecord[]>();
  private spans = 0;

  constructor(private readonly maxSpans: number) {}

  add(records: readonly SpanRecord[]): void {
    for (const record of records) {
      let trace = this.traces.get(record.traceId);
      if (!trace) {
        trace = [];
        this.traces.set(record.traceId, trace);
      }
      trace.push(record);
      this.spans += 1;
    }
    while (this.spans > this.maxSpans) {
      const oldest = this.traces.keys().next();
      if (oldest.done) break;
      this.spans -= this.traces.get(oldest.value)?.length ?? 0;
      this.traces.delete(oldest.value);
    }
  }

  get size(): { traces: number; spans: number } {
    return { traces: this.traces.size, spans: this.spans };
  }

  trace(traceId: string): readonly SpanRecord[] | undefined {
    return this.traces.get(traceId.toLowerCase());
  }

  /** Newest first. */
  recentTraces(limit: number): Array<readonly SpanRecord[]> {
    return [...this.traces.values()].slice(-limit).reverse();
  }

  /** Newest first, the first `limit` traces that `matches` accepts. */
  findTraces(matches: (spans: readonly SpanRecord[]) => boolean, limit: number): Array<readonly SpanRecord[]> {
    const all = [...this.traces.values()];
    const found: Array<readonly SpanRecord[]> = [];
    for (let i = all.length - 1; i >= 0 && found.length < limit; i--) {
      const spans = all[i]!;
      if (matches(spans)) found.push(spans);
    }
    return found;
  }

  *allTraces(): Iterable<readonly SpanRecord[]> {
    yield* this.traces.values();
  }
}
