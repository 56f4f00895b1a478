import type { SpanRecord } from "./otlp";

/**
 * About what a span record costs in memory: its strings (two bytes a character in the worst case)
 * and a fixed overhead per record and per attribute. An estimate, not a measurement: it only has to
 * grow with what a sender controls, so that the bound holds whatever the spans carry.
 */
export function estimatedBytes(record: SpanRecord): number {
  let bytes =
    200 +
    2 *
      (record.traceId.length +
        record.spanId.length +
        record.service.length +
        record.name.length +
        record.statusMessage.length +
        (record.instance?.length ?? 0) +
        (record.version?.length ?? 0));
  for (const key in record.attributes) {
    const value = record.attributes[key];
    bytes += 40 + 2 * key.length + (typeof value === "string" ? 2 * value.length : 8);
  }
  return bytes;
}

/**
 * Recent spans, grouped by trace, in bounded memory: past `maxSpans` spans or `maxBytes` (by
 * `estimatedBytes`) the oldest traces go first, so memory stays flat under any load, whether the
 * spans are many or large. A Map keeps insertion order, which is age here. Each trace keeps its
 * estimate, so a span is estimated once.
 */
export class TraceStore {
  private readonly traces = new Map<string, SpanRecord[]>();
  private readonly traceBytes = new Map<string, number>();
  private spans = 0;
  private bytes = 0;

  constructor(
    private readonly maxSpans: number,
    private readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {}

  add(records: readonly SpanRecord[]): void {
    for (const record of records) {
      let trace = this.traces.get(record.traceId);
      if (!trace) {
        trace = [];
        this.traces.set(record.traceId, trace);
      }
      trace.push(record);
      const bytes = estimatedBytes(record);
      this.traceBytes.set(record.traceId, (this.traceBytes.get(record.traceId) ?? 0) + bytes);
      this.spans += 1;
      this.bytes += bytes;
    }
    while (this.spans > this.maxSpans || this.bytes > this.maxBytes) {
      const oldest = this.traces.entries().next();
      if (oldest.done) break;
      const [traceId, spans] = oldest.value;
      this.spans -= spans.length;
      this.bytes -= this.traceBytes.get(traceId) ?? 0;
      this.traces.delete(traceId);
      this.traceBytes.delete(traceId);
    }
  }

  get size(): { traces: number; spans: number; bytes: number } {
    return { traces: this.traces.size, spans: this.spans, bytes: this.bytes };
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
