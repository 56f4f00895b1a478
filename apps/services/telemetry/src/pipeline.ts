import { SpanJoiner } from "./joiner";
import { LiveFeed } from "./live-feed";
import type { SpanRecord } from "./otlp";
import { ServiceMap } from "./service-map";
import { TraceStore } from "./store";

export interface PipelineOptions {
  readonly maxSpans: number;
  /** What the kept spans may cost, by the store's estimate (`TELEMETRY_MAX_BYTES`). */
  readonly maxBytes?: number;
  /** The clock that ages pending halves and edges (tests pass their own). */
  readonly now?: () => number;
}

/**
 * Everything an accepted export feeds, in one pass over its spans: the trace store (for the
 * trace views), the service map (nodes, errors, per-edge counters) and, through the joiner, the
 * live stream. Each part is bounded, so memory stays flat under any load.
 */
export class TelemetryPipeline {
  readonly store: TraceStore;
  readonly map: ServiceMap;
  readonly live: LiveFeed;
  readonly joiner: SpanJoiner;

  constructor(options: PipelineOptions) {
    const now = options.now ?? Date.now;
    this.store = new TraceStore(options.maxSpans, options.maxBytes);
    this.map = new ServiceMap({ samplesPerEdge: 2_048, maxEdges: 1_000, maxNodes: 1_000, now });
    this.live = new LiveFeed({ flushMs: 50, maxBatchEvents: 5_000, maxQueuedBatches: 200 });
    // Exports are batched every few seconds per process (5 s by default in the SDK): a half waits
    // 30 s for its partner, and no more halves than the store keeps spans.
    this.joiner = new SpanJoiner(
      { maxPending: Math.max(1_000, Math.floor(options.maxSpans / 2)), maxAgeMs: 30_000, now },
      (event) => {
        this.map.record(event);
        this.live.publish(event);
      },
    );
  }

  ingest(spans: readonly SpanRecord[]): void {
    this.store.add(spans);
    for (const span of spans) {
      this.map.observe(span);
      this.joiner.add(span);
    }
    this.joiner.expire();
  }

  close(): void {
    this.live.close();
  }
}
