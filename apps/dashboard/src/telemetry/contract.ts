/**
 * What the dashboard reads from the telemetry service, as plain types: the agreed contract of
 * `apps/services/telemetry`. The browser code uses these; the BFF gets the real types from the
 * service's router (see `server/api/telemetry-client.ts`).
 */

export type NodeKind = "service" | "database" | "client";

export interface Metrics {
  readonly requests: number;
  readonly perSecond: number;
  readonly errorRate: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly metrics: Metrics | null;
}

export interface GraphEdge extends Metrics {
  readonly source: string;
  readonly target: string;
}

export interface ServiceGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly windowSeconds: number;
  readonly totals: Metrics;
}

export interface Operation {
  readonly name: string;
  readonly requests: number;
  readonly errorRate: number;
  readonly p95Ms: number;
}

export interface RecentError {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly message: string;
  readonly startMs: number;
}

export interface NodeDetail {
  readonly id: string;
  readonly kind: NodeKind;
  readonly metrics: Metrics | null;
  readonly operations: readonly Operation[];
  readonly recentErrors: readonly RecentError[];
}

/** One request on an edge: a call between services or a query to a database. */
export interface RequestEvent {
  readonly traceId: string;
  readonly spanId: string;
  readonly source: string;
  readonly target: string;
  readonly name: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly error: boolean;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly services: readonly string[];
  readonly error: boolean;
}

export type SpanKind = "internal" | "server" | "client" | "producer" | "consumer";

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly service: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

export interface TraceDetail extends TraceSummary {
  readonly spans: readonly Span[];
}

export interface LiveBatch {
  readonly events: readonly RequestEvent[];
}
