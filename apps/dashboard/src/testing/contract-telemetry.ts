/**
 * A stand-in for the telemetry service that speaks exactly the agreed contract, in memory.
 * It serves the dashboard's tests, `scripts/dev-telemetry.ts` (see the map move without the
 * whole stack), and gives the BFF its client type until the real router has every procedure.
 * It is not the telemetry service: no protobuf, no span joining across exports, no forwarding.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { GraphEdge, GraphNode, Metrics, NodeDetail, NodeKind, RequestEvent, ServiceGraph, Span, SpanKind, TraceDetail, TraceSummary } from "~/telemetry/contract";

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function metricsOf(events: readonly RequestEvent[], windowSeconds: number): Metrics {
  const durations = events.map((event) => event.durationMs).sort((a, b) => a - b);
  const errors = events.filter((event) => event.error).length;
  return {
    requests: events.length,
    perSecond: events.length / windowSeconds,
    errorRate: events.length === 0 ? 0 : errors / events.length,
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    p99Ms: percentile(durations, 99),
  };
}

function push<T>(groups: Map<string, T[]>, key: string, value: T): void {
  const list = groups.get(key);
  if (list) list.push(value);
  else groups.set(key, [value]);
}

function databaseOf(span: Span): string | null {
  if (span.kind !== "client") return null;
  const system = span.attributes["db.system.name"] ?? span.attributes["db.system"];
  return typeof system === "string" && system !== "" ? `${span.service}/${system}` : null;
}

function summary(spans: readonly Span[]): TraceSummary {
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const root = spans.find((s) => !s.parentSpanId || !spans.some((p) => p.spanId === s.parentSpanId)) ?? spans[0]!;
  return {
    traceId: root.traceId,
    rootName: root.name,
    rootService: root.service,
    startMs: start,
    durationMs: end - start,
    spanCount: spans.length,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    error: spans.some((s) => s.error),
  };
}

export interface TraceFilter {
  readonly limit: number;
  readonly operation?: string | undefined;
  readonly status?: "ok" | "error" | undefined;
  readonly minDurationMs?: number | undefined;
  readonly service?: string | undefined;
}

export class ContractTelemetryStore {
  private readonly traces = new Map<string, Span[]>();
  private events: RequestEvent[] = [];
  private readonly listeners = new Set<(events: readonly RequestEvent[]) => void>();
  private pending: RequestEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly maxTraces = 5_000, private readonly maxEvents = 100_000) {}

  ingest(spans: readonly Span[]): void {
    const touched = new Set<string>();
    for (const span of spans) {
      const trace = this.traces.get(span.traceId) ?? [];
      trace.push(span);
      this.traces.set(span.traceId, trace);
      touched.add(span.traceId);
    }
    while (this.traces.size > this.maxTraces) this.traces.delete(this.traces.keys().next().value!);
    const fresh: RequestEvent[] = [];
    const incoming = new Set(spans.map((span) => span.spanId));
    for (const traceId of touched) {
      const trace = this.traces.get(traceId) ?? [];
      const byId = new Map(trace.map((span) => [span.spanId, span]));
      for (const span of trace) {
        const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
        const isNew = incoming.has(span.spanId) || (parent !== undefined && incoming.has(parent.spanId));
        if (!isNew) continue;
        if (span.kind === "server" && parent?.kind === "client" && parent.service !== span.service) {
          fresh.push({ traceId, spanId: span.spanId, source: parent.service, target: span.service, name: span.name, startMs: parent.startMs, durationMs: parent.durationMs, error: parent.error || span.error });
        }
        const database = incoming.has(span.spanId) ? databaseOf(span) : null;
        if (database) fresh.push({ traceId, spanId: span.spanId, source: span.service, target: database, name: span.name, startMs: span.startMs, durationMs: span.durationMs, error: span.error });
      }
    }
    this.events.push(...fresh);
    if (this.events.length > this.maxEvents) this.events = this.events.slice(-this.maxEvents);
    this.pending.push(...fresh);
    this.flushTimer ??= setTimeout(() => this.flush(), 50);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) for (const listener of this.listeners) listener(batch);
  }

  onEvents(listener: (events: readonly RequestEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private recentEvents(nowMs: number, windowSeconds: number): RequestEvent[] {
    const since = nowMs - windowSeconds * 1_000;
    return this.events.filter((event) => event.startMs >= since);
  }

  graph(nowMs: number, windowSeconds: number): ServiceGraph {
    const events = this.recentEvents(nowMs, windowSeconds);
    const kinds = new Map<string, NodeKind>();
    for (const trace of this.traces.values()) {
      for (const span of trace) {
        if (!kinds.has(span.service)) kinds.set(span.service, span.service === "browser" ? "client" : "service");
        const database = databaseOf(span);
        if (database) kinds.set(database, "database");
      }
    }
    const byEdge = new Map<string, RequestEvent[]>();
    const byTarget = new Map<string, RequestEvent[]>();
    for (const event of events) {
      const key = `${event.source}\u0000${event.target}`;
      push(byEdge, key, event);
      push(byTarget, event.target, event);
    }
    const nodes: GraphNode[] = [...kinds.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, kind]) => ({ id, kind, metrics: byTarget.has(id) ? metricsOf(byTarget.get(id)!, windowSeconds) : null }));
    const edges: GraphEdge[] = [...byEdge.values()].map((list) => ({ source: list[0]!.source, target: list[0]!.target, ...metricsOf(list, windowSeconds) }));
    return { nodes, edges, windowSeconds, totals: metricsOf(events, windowSeconds) };
  }

  node(id: string, nowMs: number, windowSeconds: number): NodeDetail {
    const graph = this.graph(nowMs, windowSeconds);
    const node = graph.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new TRPCError({ code: "NOT_FOUND", message: `No spans from "${id}" are in memory` });
    const incoming = this.recentEvents(nowMs, windowSeconds).filter((event) => event.target === id);
    const byName = new Map<string, RequestEvent[]>();
    for (const event of incoming) push(byName, event.name, event);
    const operations = [...byName.entries()]
      .map(([name, list]) => {
        const m = metricsOf(list, windowSeconds);
        return { name, requests: m.requests, errorRate: m.errorRate, p95Ms: m.p95Ms };
      })
      .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
    const recentErrors = [...this.traces.values()]
      .flat()
      .filter((span) => span.service === id && span.error)
      .sort((a, b) => b.startMs - a.startMs)
      .slice(0, 10)
      .map((span) => ({ traceId: span.traceId, spanId: span.spanId, name: span.name, message: String(span.attributes["exception.message"] ?? span.attributes["otel.status_description"] ?? "failed"), startMs: span.startMs }));
    return { id, kind: node.kind, metrics: node.metrics, operations, recentErrors };
  }

  edge(source: string, target: string, limit: number): RequestEvent[] {
    const out: RequestEvent[] = [];
    for (let i = this.events.length - 1; i >= 0 && out.length < limit; i--) {
      const event = this.events[i]!;
      if (event.source === source && event.target === target) out.push(event);
    }
    return out;
  }

  list(filter: TraceFilter): TraceSummary[] {
    const out: TraceSummary[] = [];
    const traces = [...this.traces.values()];
    for (let i = traces.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const s = summary(traces[i]!);
      if (filter.status === "error" && !s.error) continue;
      if (filter.status === "ok" && s.error) continue;
      if (filter.minDurationMs !== undefined && s.durationMs < filter.minDurationMs) continue;
      if (filter.service && !s.services.includes(filter.service)) continue;
      if (filter.operation && !traces[i]!.some((span) => span.name.toLowerCase().includes(filter.operation!.toLowerCase()))) continue;
      out.push(s);
    }
    return out;
  }

  get(traceId: string): TraceDetail {
    const spans = this.traces.get(traceId.toLowerCase());
    if (!spans) throw new TRPCError({ code: "NOT_FOUND", message: "That trace is not (or no longer) in memory" });
    return { ...summary(spans), spans: [...spans].sort((a, b) => a.startMs - b.startMs) };
  }
}

// ---- OTLP/HTTP JSON, just what the synthetic traffic sends ----

const spanKinds: readonly SpanKind[] = ["internal", "internal", "server", "client", "producer", "consumer"];

interface OtlpValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
interface OtlpAttribute { key: string; value?: OtlpValue }

function attributes(list: readonly OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = value?.stringValue ?? value?.boolValue ?? value?.doubleValue ?? (value?.intValue !== undefined ? Number(value.intValue) : undefined);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const nanosToMs = (value: string | number) => Number(BigInt(value) / 1_000n) / 1_000;

interface OtlpRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
        attributes?: OtlpAttribute[];
        status?: { code?: number | string; message?: string };
      }>;
    }>;
  }>;
}

export function spansFromOtlpJson(body: unknown): Span[] {
  const request = body as OtlpRequest;
  const spans: Span[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const service = String(attributes(resourceSpans.resource?.attributes)["service.name"] ?? "unknown_service");
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const s of scope.spans ?? []) {
        const startMs = nanosToMs(s.startTimeUnixNano);
        spans.push({
          traceId: s.traceId.toLowerCase(),
          spanId: s.spanId.toLowerCase(),
          parentSpanId: s.parentSpanId ? s.parentSpanId.toLowerCase() : null,
          service,
          name: s.name,
          kind: spanKinds[s.kind ?? 0] ?? "internal",
          startMs,
          durationMs: Math.max(0, nanosToMs(s.endTimeUnixNano) - startMs),
          error: s.status?.code === 2 || s.status?.code === "STATUS_CODE_ERROR",
          attributes: {
            ...attributes(s.attributes),
            ...(typeof s.status?.message === "string" && s.status.message !== "" ? { "otel.status_description": s.status.message } : {}),
          },
        });
      }
    }
  }
  return spans;
}

// ---- the contract as a tRPC router ----

interface Context {
  readonly store: ContractTelemetryStore;
  readonly now: () => number;
}

const t = initTRPC.context<Context>().create({ transformer: superjson });
const windowInput = z.number().int().min(1).max(3_600).default(60);

export const contractTelemetryRouter = t.router({
  graph: t.procedure
    .input(z.object({ windowSeconds: windowInput }).default({ windowSeconds: 60 }))
    .query(({ ctx, input }) => ctx.store.graph(ctx.now(), input.windowSeconds)),
  node: t.procedure
    .input(z.object({ id: z.string().min(1).max(200), windowSeconds: windowInput }))
    .query(({ ctx, input }) => ctx.store.node(input.id, ctx.now(), input.windowSeconds)),
  edge: t.procedure
    .input(z.object({ source: z.string().min(1).max(200), target: z.string().min(1).max(200), limit: z.number().int().min(1).max(500).default(50) }))
    .query(({ ctx, input }) => ctx.store.edge(input.source, input.target, input.limit)),
  traces: t.router({
    list: t.procedure
      .input(
        z
          .object({
            limit: z.number().int().min(1).max(500).default(50),
            operation: z.string().max(200).optional(),
            status: z.enum(["ok", "error"]).optional(),
            minDurationMs: z.number().min(0).optional(),
            testId: z.string().max(200).optional(),
            service: z.string().max(200).optional(),
          })
          .default({ limit: 50 }),
      )
      .query(({ ctx, input }) => ctx.store.list(input)),
    get: t.procedure
      .input(z.object({ traceId: z.string().regex(/^[0-9a-fA-F]{32}$/) }))
      .query(({ ctx, input }) => ctx.store.get(input.traceId)),
  }),
  live: t.router({
    requests: t.procedure.subscription(async function* ({ ctx, signal }) {
      let wake: (() => void) | undefined;
      let queued: RequestEvent[] = [];
      const off = ctx.store.onEvents((events) => {
        queued.push(...events);
        wake?.();
      });
      try {
        while (!signal?.aborted) {
          if (queued.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              signal?.addEventListener("abort", () => resolve(), { once: true });
            });
            wake = undefined;
            continue;
          }
          const events = queued;
          queued = [];
          yield { events };
        }
      } finally {
        off();
      }
    }),
  }),
});

export type ContractTelemetryRouter = typeof contractTelemetryRouter;
