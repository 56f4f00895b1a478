import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceRequests } from "~/lib/trace-path";
import { createTelemetryClient, type TelemetryClient } from "~/server/api/telemetry-client";
import type { Span } from "~/telemetry/contract";
import { postOtlpJson, startTelemetry, type RunningTelemetry } from "~/testing/telemetry-server";
import { startSyntheticTraffic, syntheticTrace, toOtlpJson } from "@microshop/otlp-fixtures";

// The traces go through the real telemetry service and are read back as it keeps them: this checks
// the OTLP the generator writes is what the service accepts, not just what the generator meant.
let telemetry: RunningTelemetry;
let client: TelemetryClient;

beforeAll(async () => {
  telemetry = await startTelemetry();
  client = createTelemetryClient(telemetry.url);
});
afterAll(async () => {
  await telemetry.close();
});

type Trace = ReturnType<typeof syntheticTrace>;

/** Posts the traces as one export and reads each back from the service, in the order given. */
async function roundTrip(traces: readonly Trace[]): Promise<Span[][]> {
  await postOtlpJson(telemetry.otlpUrl, toOtlpJson(traces.map((spans) => ({ spans, endMs: Date.now() }))));
  const read: Span[][] = [];
  // One at a time: a batch of hundreds of queries would make a URL too long for the server.
  for (const trace of traces) read.push((await client.traces.get.query({ traceId: trace[0]!.traceId })).spans);
  return read;
}

describe("syntheticTrace", () => {
  it("makes whole traces: one root in the browser, every parent present, children inside their parents", async () => {
    const traces = await roundTrip(Array.from({ length: 200 }, () => syntheticTrace()));
    for (const spans of traces) {
      const ids = new Set(spans.map((span) => span.spanId));
      const roots = spans.filter((span) => span.parentSpanId === null);
      expect(roots).toHaveLength(1);
      expect(roots[0]!.service).toBe("browser");
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      for (const span of spans) {
        if (span.parentSpanId === null) continue;
        expect(ids.has(span.parentSpanId)).toBe(true);
        const parent = byId.get(span.parentSpanId)!;
        expect(span.startMs).toBeGreaterThanOrEqual(parent.startMs - 0.01);
        expect(span.startMs + span.durationMs).toBeLessThanOrEqual(parent.startMs + parent.durationMs + 0.01);
      }
      // Every trace goes browser → storefront first, and talks to at least one database.
      const requests = traceRequests(spans);
      expect(requests[0]).toMatchObject({ source: "browser", target: "storefront" });
      expect(requests.some((request) => request.target.endsWith("/sqlite"))).toBe(true);
    }
  });

  it("is counted on the map's edges exactly as the dashboard draws a trace's path", async () => {
    // A fresh service, so its edges hold only these traces.
    const own = await startTelemetry();
    try {
      const traces = Array.from({ length: 100 }, () => syntheticTrace());
      await postOtlpJson(own.otlpUrl, toOtlpJson(traces.map((spans) => ({ spans, endMs: Date.now() }))));
      const ownClient = createTelemetryClient(own.url);
      const graph = await ownClient.graph.query({ windowSeconds: 60 });
      // Count from the service's own copy of every trace, the way `traceRequests` sees them.
      const expected = new Map<string, number>();
      for (const trace of traces) {
        const { spans } = await ownClient.traces.get.query({ traceId: trace[0]!.traceId });
        for (const request of traceRequests(spans)) {
          const key = `${request.source}->${request.target}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
      }
      const counted = new Map(graph.edges.map((edge) => [`${edge.source}->${edge.target}`, edge.requests]));
      expect(counted).toEqual(expected);
    } finally {
      await own.close();
    }
  });

  it("carries a checkout's fan-out: order calls user, product, inventory, payment and email", async () => {
    let checkout: Trace | undefined;
    while (!checkout) {
      const trace = syntheticTrace(0);
      if (trace.some((span) => span.name === "checkout.place")) checkout = trace;
    }
    const [spans] = await roundTrip([checkout]);
    const targets = new Set(
      traceRequests(spans!)
        .filter((r) => r.source === "order")
        .map((r) => r.target),
    );
    for (const target of ["user", "product", "inventory", "payment", "email", "order/sqlite"]) expect(targets).toContain(target);
  });
});

describe("startSyntheticTraffic", () => {
  it("posts about the asked number of spans per second to an OTLP endpoint, all accepted", async () => {
    const own = await startTelemetry();
    try {
      const traffic = startSyntheticTraffic({ otlpUrl: own.otlpUrl, spansPerSecond: 500, tickMs: 50 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await traffic.stop();
      const { spans, traces, failedPosts } = traffic.stats();
      expect(failedPosts).toBe(0);
      expect(spans).toBeGreaterThan(300);
      expect(spans).toBeLessThan(800);
      // What the generator counts as sent is what the service holds.
      const held = await createTelemetryClient(own.url).traces.list.query({ limit: 500 });
      expect(held).toHaveLength(traces);
      expect(held.reduce((sum, trace) => sum + trace.spanCount, 0)).toBe(spans);
    } finally {
      await own.close();
    }
  });
});
