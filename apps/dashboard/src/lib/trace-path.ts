import type { RequestEvent, Span } from "~/telemetry/contract";
import { databaseOf, edgeId } from "./map-model";

/** One request inside a trace, as it travels on the map: the telemetry service's request, within its trace. */
export type TraceRequest = Omit<RequestEvent, "traceId">;

function databaseTarget(span: Span): string | null {
  if (span.kind !== "client") return null;
  const system = span.attributes["db.system.name"] ?? span.attributes["db.system"];
  return typeof system === "string" && system !== "" ? `${span.service}/${system}` : null;
}

/**
 * The requests of a trace, the way the telemetry service counts them on edges: a server span
 * under another service's client span is a call (timed by the caller), and a client span with a
 * database system is a query. In start order.
 */
export function traceRequests(spans: readonly Span[]): TraceRequest[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const requests: TraceRequest[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (span.kind === "server" && parent?.kind === "client" && parent.service !== span.service) {
      requests.push({
        spanId: span.spanId,
        source: parent.service,
        target: span.service,
        name: span.name,
        startMs: parent.startMs,
        durationMs: parent.durationMs,
        error: parent.error || span.error,
        targetInstance: span.instance,
        targetVersion: span.version,
        synthetic: parent.synthetic || span.synthetic,
      });
    }
    const database = databaseTarget(span);
    if (database) {
      requests.push({
        spanId: span.spanId,
        source: span.service,
        target: database,
        name: span.name,
        startMs: span.startMs,
        durationMs: span.durationMs,
        error: span.error,
        targetInstance: null,
        targetVersion: null,
        synthetic: span.synthetic,
      });
    }
  }
  return requests.sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId));
}

/** The nodes and edges a trace touched: what the map lights up while the trace is open. */
export function tracePath(spans: readonly Span[]): { nodes: Set<string>; edges: Set<string> } {
  const requests = traceRequests(spans);
  const nodes = new Set(spans.map((span) => span.service));
  const edges = new Set<string>();
  for (const request of requests) {
    nodes.add(request.source).add(request.target);
    edges.add(edgeId(request.source, request.target));
  }
  return { nodes, edges };
}

export { databaseOf };
