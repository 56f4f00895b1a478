/**
 * What the dashboard reads from the telemetry service, as plain types for the browser code and the
 * BFF alike. Every one is derived from the service's own router (`apps/services/telemetry`), as
 * its procedures' outputs after the wire: nothing is restated here, so a change to the service's
 * answers shows up as a type error in the dashboard instead of drifting silently. The import is
 * type-only, so no service code reaches the bundle.
 */
import type { TelemetryRouter } from "@microshop/telemetry-service/router";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<TelemetryRouter>;

/** `graph`: the map over a window. */
export type ServiceGraph = Outputs["graph"];
export type GraphNode = ServiceGraph["nodes"][number];
/** `client` is a node only ever seen as a caller (the browser). */
export type NodeKind = GraphNode["kind"];
/** Requests, req/s, error rate and p50/p95/p99 of an edge, a node (as a callee) or the whole system. */
export type Metrics = ServiceGraph["totals"];
export type GraphEdge = ServiceGraph["edges"][number];
/** One replica's calls over the window (its `service.instance.id` and `service.version`). */
export type InstanceMetrics = ServiceGraph["instances"][number];

/** `node`: one node in depth. */
export type NodeDetail = Outputs["node"];
export type Operation = NodeDetail["operations"][number];
export type RecentError = NodeDetail["recentErrors"][number];

/** One request on an edge (a call between services or a query to a database), from `edge` or the live stream. */
export type RequestEvent = Outputs["edge"][number];

/** `live.requests` yields these batches. */
export type LiveBatch = Outputs["live"]["requests"] extends AsyncIterable<infer Batch> ? Batch : never;

/** `traces.list` and `traces.get`. */
export type TraceSummary = Outputs["traces"]["list"][number];
export type TraceDetail = Outputs["traces"]["get"];
export type Span = TraceDetail["spans"][number];
export type SpanKind = Span["kind"];
