import type { SpanRecord } from "./otlp";
import type { TraceStore } from "./store";

export type NodeKind = "service" | "database";

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
}

export interface EdgeMetrics {
  readonly source: string;
  readonly target: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly errorRate: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export interface ServiceGraph {
  readonly nodes: GraphNode[];
  readonly edges: EdgeMetrics[];
  readonly windowSeconds: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The database a client span talks to, as a node of its own per calling service. */
function databaseOf(span: SpanRecord): string | undefined {
  const system = span.attributes["db.system.name"] ?? span.attributes["db.system"];
  return typeof system === "string" ? `${span.service}/${system}` : undefined;
}

/**
 * The service graph over a sliding window, derived from spans alone: a server span whose parent
 * is a client span of another service is one request on the edge caller → callee (timed by the
 * client, so network time counts); a client span with a database system is an edge to that
 * service's database.
 */
export function serviceGraph(store: TraceStore, nowMs: number, windowSeconds: number): ServiceGraph {
  const since = nowMs - windowSeconds * 1_000;
  const nodes = new Map<string, GraphNode>();
  const samples = new Map<string, { source: string; target: string; durations: number[]; errors: number }>();
  const record = (source: string, target: string, durationMs: number, error: boolean) => {
    const key = `${source}→${target}`;
    let edge = samples.get(key);
    if (!edge) {
      edge = { source, target, durations: [], errors: 0 };
      samples.set(key, edge);
    }
    edge.durations.push(durationMs);
    if (error) edge.errors += 1;
  };

  for (const trace of store.allTraces()) {
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    for (const span of trace) {
      nodes.set(span.service, { id: span.service, kind: "service" });
      if (span.startMs < since) continue;
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      if (span.kind === "server" && parent?.kind === "client" && parent.service !== span.service) {
        record(parent.service, span.service, parent.durationMs, parent.error || span.error);
      }
      const database = span.kind === "client" ? databaseOf(span) : undefined;
      if (database) {
        nodes.set(database, { id: database, kind: "database" });
        record(span.service, database, span.durationMs, span.error);
      }
    }
  }

  const edges = [...samples.values()].map(({ source, target, durations, errors }) => {
    const sorted = [...durations].sort((a, b) => a - b);
    return {
      source,
      target,
      requests: sorted.length,
      perSecond: sorted.length / windowSeconds,
      errorRate: errors / sorted.length,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      p99Ms: percentile(sorted, 99),
    };
  });
  return { nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)), edges, windowSeconds };
}
