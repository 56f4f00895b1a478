import type { SpanRecord } from "./otlp";

/** A span record for tests: a server span of "s" unless told otherwise. */
export function span(overrides: Partial<SpanRecord> & Pick<SpanRecord, "spanId">): SpanRecord {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    parentSpanId: null,
    service: "s",
    name: "n",
    kind: "server",
    startMs: 0,
    durationMs: 1,
    error: false,
    statusMessage: "",
    attributes: {},
    instance: null,
    version: null,
    synthetic: false,
    ...overrides,
  };
}

/** A call from `source` to `target`: the caller's client span and the callee's server span. */
export function call(
  source: string,
  target: string,
  ids: { client: string; server: string; traceId?: string },
  options: { startMs?: number; durationMs?: number; name?: string; error?: boolean } = {},
): { client: SpanRecord; server: SpanRecord } {
  const traceId = ids.traceId ?? "0af7651916cd43dd8448eb211c80319c";
  const client = span({
    traceId,
    spanId: ids.client,
    service: source,
    kind: "client",
    name: `${target} ${options.name ?? "op"}`,
    startMs: options.startMs ?? 0,
    durationMs: options.durationMs ?? 10,
  });
  const server = span({
    traceId,
    spanId: ids.server,
    parentSpanId: ids.client,
    service: target,
    kind: "server",
    name: options.name ?? "op",
    attributes: { "rpc.method": options.name ?? "op" },
    startMs: (options.startMs ?? 0) + 1,
    durationMs: (options.durationMs ?? 10) - 2,
    error: options.error ?? false,
    statusMessage: options.error ? "it failed" : "",
  });
  return { client, server };
}
