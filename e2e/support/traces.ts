import type { TelemetryRouter } from "@microshop/telemetry-service/router";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { transformer } from "@microshop/transformer";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner } from "@microshop/service-auth";
import { serviceTokenSecret, telemetryUrl } from "./stack";

type Outputs = inferRouterOutputs<TelemetryRouter>;
export type FullTrace = Outputs["traces"]["get"];
export type TraceSpan = FullTrace["spans"][number];

// The dashboard is the telemetry service's one caller: the tests read it as the dashboard does.
const sign = serviceTokenSigner(credentialsOf(serviceTokenSecret, "dashboard"), "telemetry");

/** The telemetry service of the stack under test: what the dashboard reads (a service like the others: calls are signed). */
export const telemetry = createTRPCClient<TelemetryRouter>({
  links: [
    httpLink({
      url: `${telemetryUrl}/trpc`,
      transformer,
      headers: async () => ({ [SERVICE_TOKEN_HEADER]: await sign() }),
    }),
  ],
});

/** One request between two processes in a trace: a server span under another service's client span. */
export interface Call {
  readonly source: string;
  readonly target: string;
  /** The procedure (`rpc.method`) or the span name. */
  readonly method: string;
  readonly startMs: number;
  readonly error: boolean;
}

/** The calls of a trace in the order they started. */
export function callsOf(trace: FullTrace): Call[] {
  const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
  const calls: Call[] = [];
  for (const span of trace.spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (span.kind !== "server" || parent?.kind !== "client" || parent.service === span.service) continue;
    const method = span.attributes["rpc.method"];
    calls.push({
      source: parent.service,
      target: span.service,
      method: typeof method === "string" ? method : span.name,
      startMs: parent.startMs,
      error: parent.error || span.error,
    });
  }
  return calls.sort((a, b) => a.startMs - b.startMs);
}

/** A call as its caller saw it: every tRPC client span, in both modes (in-process in the monolith). */
export interface RpcCall {
  readonly caller: string;
  readonly callee: string;
  readonly method: string;
  readonly startMs: number;
}

/** The tRPC calls of a trace, from the callers' own spans, in the order they started. */
export function rpcCallsOf(trace: FullTrace): RpcCall[] {
  return trace.spans
    .filter((span) => span.kind === "client" && typeof span.attributes["rpc.method"] === "string")
    .map((span) => ({
      caller: span.service,
      callee: String(span.attributes["rpc.service"]),
      method: String(span.attributes["rpc.method"]),
      startMs: span.startMs,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/**
 * The traces of one test, fetched whole, once `ready` holds for them (spans arrive within a batch
 * delay of their end, from each process separately); fails with what was there when it times out.
 */
export async function tracesOfTest(
  testId: string,
  ready: (traces: FullTrace[]) => boolean,
  timeoutMs = 10_000,
): Promise<FullTrace[]> {
  const deadline = Date.now() + timeoutMs;
  let traces: FullTrace[] = [];
  for (;;) {
    const summaries = await telemetry.traces.list.query({ testId, limit: 200 });
    traces = await Promise.all(summaries.map((summary) => telemetry.traces.get.query({ traceId: summary.traceId })));
    if (ready(traces)) return traces;
    if (Date.now() > deadline) {
      const seen = traces.map(
        (trace) =>
          `${trace.rootName}: ${callsOf(trace)
            .map((call) => `${call.source}→${call.target} ${call.method}`)
            .join(", ")}`,
      );
      throw new Error(`The traces of test ${testId} never met the condition; saw:\n  ${seen.join("\n  ") || "(none)"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
