import type { EdgeStats } from "./edge-stats";
import { percentile, toMetrics, type Metrics } from "./metrics";
import type { RequestEvent } from "./request-event";
import { allTraffic, type TrafficFilter } from "./second-counts";
import type { NodeState, RecentError, ServiceMap } from "./service-map";

/** `client`: only ever seen as a caller (the browser). */
export type NodeKind = "service" | "database" | "client";

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** As a callee, over the window; null if it was not called in it. */
  readonly metrics: Metrics | null;
}

export interface EdgeMetrics extends Metrics {
  readonly source: string;
  readonly target: string;
}

/** Calls into one replica (its `service.instance.id`) at one version, over the window. */
export interface InstanceMetrics extends Metrics {
  readonly service: string;
  readonly instance: string;
  readonly version: string | null;
}

export interface ServiceGraph {
  readonly nodes: GraphNode[];
  readonly edges: EdgeMetrics[];
  /** Replicas that were called in their window (`instanceWindowSeconds`), by service then instance. */
  readonly instances: InstanceMetrics[];
  readonly instanceWindowSeconds: number;
  /** Whether the load generator's requests are counted. */
  readonly includeSynthetic: boolean;
  readonly windowSeconds: number;
  /** Over every edge request in the window. */
  readonly totals: Metrics;
}

export interface OperationMetrics {
  readonly name: string;
  readonly requests: number;
  readonly errorRate: number;
  readonly p95Ms: number;
}

export interface NodeDetail {
  readonly id: string;
  readonly kind: NodeKind;
  readonly metrics: Metrics | null;
  /** Over the requests kept per edge in the window (all of them unless the load is heavy). */
  readonly operations: OperationMetrics[];
  /** Newest first. */
  readonly recentErrors: RecentError[];
}

function kindOf(node: NodeState): NodeKind {
  if (node.database) return "database";
  return node.calls && !node.called ? "client" : "service";
}

interface EdgeWindow {
  readonly requests: number;
  readonly errors: number;
  readonly samples: RequestEvent[];
}

function edgeWindow(edge: EdgeStats, sinceMs: number, filter: TrafficFilter): EdgeWindow {
  const { requests, errors } = edge.counts(sinceMs, filter);
  return { requests, errors, samples: requests > 0 ? edge.samplesSince(sinceMs, filter) : [] };
}

const instanceKey = (service: string, instance: string, version: string | null) =>
  `${service}\u0000${instance}\u0000${version ?? ""}`;

/** Each replica's calls over the window: exact counts from its own counters, percentiles from the edges' kept requests. */
function instanceMetrics(
  map: ServiceMap,
  durations: ReadonlyMap<string, number[]>,
  sinceMs: number,
  windowSeconds: number,
  filter: TrafficFilter,
): InstanceMetrics[] {
  const out: InstanceMetrics[] = [];
  for (const { service, instance, version, seconds } of map.instances.values()) {
    const { requests, errors } = seconds.counts(sinceMs, filter);
    if (requests === 0) continue;
    const kept = Float64Array.from(durations.get(instanceKey(service, instance, version)) ?? []);
    out.push({ service, instance, version, ...toMetrics(requests, errors, kept, windowSeconds) });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service) || a.instance.localeCompare(b.instance));
}

/** Sums edges over the window: exact counts, percentiles over their kept requests. */
class Accumulator {
  requests = 0;
  errors = 0;
  private readonly durations: number[] = [];

  add({ requests, errors, samples }: EdgeWindow): void {
    this.requests += requests;
    this.errors += errors;
    for (const sample of samples) this.durations.push(sample.durationMs);
  }

  metrics(windowSeconds: number): Metrics {
    return toMetrics(this.requests, this.errors, Float64Array.from(this.durations), windowSeconds);
  }
}

/**
 * The service map over a sliding window, from the per-edge counters the joiner keeps up to date:
 * a query costs a pass over each edge's counters and kept requests, never a rescan of the spans.
 */
export function serviceGraph(
  map: ServiceMap,
  nowMs: number,
  windowSeconds: number,
  filter: TrafficFilter = allTraffic,
  /** Replicas come and go within a minute: their rates may be asked over a shorter window. */
  instanceWindowSeconds = windowSeconds,
): ServiceGraph {
  const sinceMs = nowMs - windowSeconds * 1_000;
  const instanceSinceMs = nowMs - instanceWindowSeconds * 1_000;
  const totals = new Accumulator();
  const callees = new Map<string, Accumulator>();
  const edges: EdgeMetrics[] = [];
  const instanceDurations = new Map<string, number[]>();
  for (const edge of map.edges.values()) {
    const window = edgeWindow(edge, sinceMs, filter);
    if (window.requests === 0) continue;
    for (const sample of window.samples) {
      if (sample.targetInstance === null || sample.startMs < instanceSinceMs) continue;
      const key = instanceKey(sample.target, sample.targetInstance, sample.targetVersion);
      let durations = instanceDurations.get(key);
      if (!durations) instanceDurations.set(key, (durations = []));
      durations.push(sample.durationMs);
    }
    const one = new Accumulator();
    one.add(window);
    edges.push({ source: edge.source, target: edge.target, ...one.metrics(windowSeconds) });
    totals.add(window);
    let callee = callees.get(edge.target);
    if (!callee) callees.set(edge.target, (callee = new Accumulator()));
    callee.add(window);
  }
  const nodes = [...map.nodes.values()]
    .map((node) => ({ id: node.id, kind: kindOf(node), metrics: callees.get(node.id)?.metrics(windowSeconds) ?? null }))
    .sort((a, b) => a.id.localeCompare(b.id));
  edges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  return {
    nodes,
    edges,
    instances: instanceMetrics(map, instanceDurations, instanceSinceMs, instanceWindowSeconds, filter),
    instanceWindowSeconds,
    includeSynthetic: filter.includeSynthetic,
    windowSeconds,
    totals: totals.metrics(windowSeconds),
  };
}

/** One node as a callee over the window: its metrics, operations and latest errors. */
export function nodeDetail(
  map: ServiceMap,
  id: string,
  nowMs: number,
  windowSeconds: number,
  filter: TrafficFilter = allTraffic,
): NodeDetail | undefined {
  const node = map.nodes.get(id);
  if (!node) return undefined;
  const sinceMs = nowMs - windowSeconds * 1_000;
  const callee = new Accumulator();
  const operations = new Map<string, { requests: number; errors: number; durations: number[] }>();
  for (const edge of map.edges.values()) {
    if (edge.target !== id) continue;
    const window = edgeWindow(edge, sinceMs, filter);
    callee.add(window);
    for (const sample of window.samples) {
      let operation = operations.get(sample.name);
      if (!operation) operations.set(sample.name, (operation = { requests: 0, errors: 0, durations: [] }));
      operation.requests += 1;
      if (sample.error) operation.errors += 1;
      operation.durations.push(sample.durationMs);
    }
  }
  return {
    id,
    kind: kindOf(node),
    metrics: callee.requests > 0 ? callee.metrics(windowSeconds) : null,
    operations: [...operations]
      .map(([name, { requests, errors, durations }]) => ({
        name,
        requests,
        errorRate: errors / requests,
        p95Ms: percentile(Float64Array.from(durations).sort(), 95),
      }))
      .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name)),
    recentErrors: [...node.errors].sort((a, b) => b.startMs - a.startMs),
  };
}

/** The latest requests on one edge, newest first (empty for an edge never seen). */
export function edgeRequests(
  map: ServiceMap,
  source: string,
  target: string,
  limit: number,
  filter: TrafficFilter = allTraffic,
): RequestEvent[] {
  const edge = map.edge(source, target);
  if (!edge) return [];
  return edge
    .samplesSince(-Infinity, filter)
    .sort((a, b) => b.startMs - a.startMs)
    .slice(0, limit);
}

/** Requests that started at or after `sinceMs`, oldest first, the latest `max` of them. */
export function recentRequests(map: ServiceMap, sinceMs: number, max: number): RequestEvent[] {
  const found: RequestEvent[] = [];
  for (const edge of map.edges.values()) found.push(...edge.samplesSince(sinceMs));
  return found.sort((a, b) => a.startMs - b.startMs).slice(-max);
}
