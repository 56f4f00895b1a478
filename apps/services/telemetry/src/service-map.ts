import { EdgeStats } from "./edge-stats";
import type { SpanRecord } from "./otlp";
import { databaseOf, type RequestEvent } from "./request-event";
import { SecondCounts } from "./second-counts";

export interface RecentError {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly message: string;
  readonly startMs: number;
}

/** What is known about one node of the map, kept since the process started (bounded). */
export interface NodeState {
  readonly id: string;
  readonly database: boolean;
  /** Seen as the caller of an edge. */
  calls: boolean;
  /** Seen as the callee of an edge. */
  called: boolean;
  lastSeenMs: number;
  /** Newest last, at most `RECENT_ERRORS`. */
  readonly errors: RecentError[];
}

export const RECENT_ERRORS = 20;

/** Calls into one replica of a service at one version (a canary and its elders are told apart). */
export interface InstanceState {
  readonly service: string;
  /** Its `service.instance.id`, e.g. `product-2`. */
  readonly instance: string;
  readonly version: string | null;
  readonly seconds: SecondCounts;
  lastSeenMs: number;
}

export interface ServiceMapOptions {
  /** Requests kept per edge for percentiles and the edge's request list. */
  readonly samplesPerEdge: number;
  /** Past these, the least recently active edge or node is forgotten, so memory stays flat. */
  readonly maxEdges: number;
  readonly maxNodes: number;
  /** Replicas counted at once (a few per service, and each version of each during a deploy). */
  readonly maxInstances?: number;
  readonly now?: () => number;
}

const edgeKey = (source: string, target: string) => `${source}\u0000${target}`;
const instanceKey = (service: string, instance: string, version: string | null) =>
  `${service}\u0000${instance}\u0000${version ?? ""}`;

/**
 * The nodes and edges of the service map, updated incrementally: every span says a service
 * exists (and whether it failed), every joined request updates its edge's counters.
 */
export class ServiceMap {
  readonly nodes = new Map<string, NodeState>();
  readonly edges = new Map<string, EdgeStats>();
  readonly instances = new Map<string, InstanceState>();
  private readonly now: () => number;

  constructor(private readonly options: ServiceMapOptions) {
    this.now = options.now ?? Date.now;
  }

  observe(span: SpanRecord): void {
    const node = this.node(span.service, false);
    const database = databaseOf(span);
    if (database) this.node(database, true);
    if (!span.error) return;
    const error: RecentError = {
      traceId: span.traceId,
      spanId: span.spanId,
      name: span.name,
      message: span.statusMessage,
      startMs: span.startMs,
    };
    pushBounded(node.errors, error);
    // A failed query is also an error of the database it went to.
    if (database) pushBounded(this.node(database, true).errors, error);
  }

  record(event: RequestEvent): void {
    const key = edgeKey(event.source, event.target);
    let edge = this.edges.get(key);
    if (!edge) {
      if (this.edges.size >= this.options.maxEdges) forgetLeastRecent(this.edges);
      edge = new EdgeStats(event.source, event.target, this.options.samplesPerEdge);
      this.edges.set(key, edge);
    }
    edge.record(event, this.now());
    this.node(event.source, false).calls = true;
    // A database's node was made, as one, when its query span was observed.
    this.node(event.target, false).called = true;
    if (event.targetInstance !== null)
      this.instance(event.target, event.targetInstance, event.targetVersion).seconds.add(
        event.startMs,
        event.error,
        event.synthetic,
      );
  }

  private instance(service: string, instance: string, version: string | null): InstanceState {
    const key = instanceKey(service, instance, version);
    let state = this.instances.get(key);
    if (!state) {
      if (this.instances.size >= (this.options.maxInstances ?? 200)) forgetLeastRecent(this.instances);
      state = { service, instance, version, seconds: new SecondCounts(), lastSeenMs: 0 };
      this.instances.set(key, state);
    }
    state.lastSeenMs = this.now();
    return state;
  }

  edge(source: string, target: string): EdgeStats | undefined {
    return this.edges.get(edgeKey(source, target));
  }

  private node(id: string, database: boolean): NodeState {
    const now = this.now();
    let node = this.nodes.get(id);
    if (!node) {
      if (this.nodes.size >= this.options.maxNodes) forgetLeastRecent(this.nodes);
      node = { id, database, calls: false, called: false, lastSeenMs: now, errors: [] };
      this.nodes.set(id, node);
    }
    node.lastSeenMs = now;
    return node;
  }
}

function pushBounded(errors: RecentError[], error: RecentError): void {
  errors.push(error);
  if (errors.length > RECENT_ERRORS) errors.shift();
}

// Only runs past the cap, which real systems never reach: a scan is simpler than an LRU list.
function forgetLeastRecent(entries: Map<string, { lastSeenMs: number }>): void {
  let oldestKey: string | undefined;
  let oldestMs = Infinity;
  for (const [key, { lastSeenMs }] of entries) {
    if (lastSeenMs < oldestMs) {
      oldestMs = lastSeenMs;
      oldestKey = key;
    }
  }
  if (oldestKey !== undefined) entries.delete(oldestKey);
}
