/**
 * The critical path of one request from its trace: the chain of spans that decided how long it
 * took, and the calls between services on it. Written by hand because the telemetry service keeps
 * spans, not paths, and Jaeger's critical path is a UI feature, not a library; the walk is the same
 * as Jaeger's: from the end of a span, step back into the child that finished last before that
 * point, then into the one that finished before that child started, and so on.
 */

/** What the walk needs of a span (the telemetry service's `traces.get` spans fit). */
export interface PathSpan {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly service: string;
  readonly name: string;
  readonly kind: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** One tRPC call as its caller saw it. */
export interface Hop {
  readonly spanId: string;
  readonly caller: string;
  readonly callee: string;
  readonly method: string;
  readonly startMs: number;
  readonly durationMs: number;
  /** Crossed a process boundary (the callee's server span is another process's), else in-process. */
  readonly network: boolean;
  /** The time not spent in the calls it made that are on the same path: its own work and its wait on the wire. */
  readonly selfMs: number; /** Of that, the time in its callee's database (SQLite statements and transactions among the spans given). */
  readonly dbMs: number;
}

const endOf = (span: PathSpan) => span.startMs + span.durationMs;

function childrenOf(spans: readonly PathSpan[]): Map<string, PathSpan[]> {
  const children = new Map<string, PathSpan[]>();
  for (const span of spans) {
    if (!span.parentSpanId) continue;
    const siblings = children.get(span.parentSpanId) ?? [];
    siblings.push(span);
    children.set(span.parentSpanId, siblings);
  }
  return children;
}

/** The spans on the critical path under `root` (itself included), in the order they started. */
export function criticalPath(spans: readonly PathSpan[], root: PathSpan): PathSpan[] {
  const children = childrenOf(spans);
  const path: PathSpan[] = [];
  const walk = (span: PathSpan, until: number): void => {
    path.push(span);
    let cursor = Math.min(until, endOf(span));
    // Latest end first: the child that finished last is what the parent waited for at that point.
    const kids = [...(children.get(span.spanId) ?? [])].sort((a, b) => endOf(b) - endOf(a));
    for (const kid of kids) {
      if (kid.startMs >= cursor) continue;
      walk(kid, cursor);
      cursor = kid.startMs;
    }
  };
  walk(root, endOf(root));
  return path.sort((a, b) => a.startMs - b.startMs);
}

/** The first server spans under `span`: where its call was served (under a transport span or two). */
function servedBy(span: PathSpan, children: Map<string, PathSpan[]>): PathSpan[] {
  const served: PathSpan[] = [];
  const visit = (parent: PathSpan) => {
    for (const child of children.get(parent.spanId) ?? []) {
      if (child.kind === "server") served.push(child);
      else visit(child);
    }
  };
  visit(span);
  return served;
}

/**
 * The tRPC client spans among `spans` as hops, in the order they started. A hop's own time leaves
 * out the hops among `spans` made under it, so on a critical path it says where the time went.
 */
export function hopsOf(spans: readonly PathSpan[], all: readonly PathSpan[]): Hop[] {
  const children = childrenOf(all);
  const byId = new Map(all.map((span) => [span.spanId, span]));
  const calls = spans.filter((span) => span.kind === "client" && typeof span.attributes["rpc.method"] === "string");
  const callIds = new Set(calls.map((span) => span.spanId));
  /** The nearest call above `span` among `calls`, if any. */
  const callAbove = (span: PathSpan): string | null => {
    for (let parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; parent;) {
      if (callIds.has(parent.spanId)) return parent.spanId;
      parent = parent.parentSpanId ? byId.get(parent.parentSpanId) : undefined;
    }
    return null;
  };
  const nestedMs = new Map<string, number>();
  for (const call of calls) {
    const above = callAbove(call);
    if (above) nestedMs.set(above, (nestedMs.get(above) ?? 0) + call.durationMs);
  }
  const isDb = (span: PathSpan | undefined) => span !== undefined && span.attributes["db.system.name"] !== undefined;
  const dbMs = new Map<string, number>();
  for (const span of spans) {
    // The outermost database span only: a transaction's statements are inside its own time.
    if (!isDb(span) || isDb(span.parentSpanId ? byId.get(span.parentSpanId) : undefined)) continue;
    const above = callAbove(span);
    if (above) dbMs.set(above, (dbMs.get(above) ?? 0) + span.durationMs);
  }
  return calls
    .map((span) => ({
      spanId: span.spanId,
      caller: span.service,
      callee: String(span.attributes["rpc.service"]),
      method: String(span.attributes["rpc.method"]),
      startMs: span.startMs,
      durationMs: span.durationMs,
      network: servedBy(span, children).some((server) => server.service !== span.service),
      selfMs: Math.max(0, span.durationMs - (nestedMs.get(span.spanId) ?? 0)),
      dbMs: dbMs.get(span.spanId) ?? 0,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/** Every span under `root` (itself included). */
export function descendantsOf(spans: readonly PathSpan[], root: PathSpan): PathSpan[] {
  const children = childrenOf(spans);
  const found: PathSpan[] = [];
  const visit = (span: PathSpan) => {
    found.push(span);
    for (const child of children.get(span.spanId) ?? []) visit(child);
  };
  visit(root);
  return found;
}

/**
 * Calls made by one caller that ran at the same time: each group ran concurrently. Two calls count
 * as concurrent when they overlap for at least half of the shorter one, so that a call whose span
 * ends a moment after the next one started (its span closes after its answer is handed on) does not.
 */
export function concurrentGroups(hops: readonly Hop[]): Hop[][] {
  const overlapMs = (a: Hop, b: Hop) =>
    Math.min(a.startMs + a.durationMs, b.startMs + b.durationMs) - Math.max(a.startMs, b.startMs);
  const groups: Hop[][] = [];
  for (const hop of hops) {
    const group = groups.find((members) =>
      members.some(
        (other) => other.caller === hop.caller && overlapMs(hop, other) >= Math.min(hop.durationMs, other.durationMs) / 2,
      ),
    );
    if (group) group.push(hop);
    else groups.push([hop]);
  }
  return groups.filter((members) => members.length > 1);
}
