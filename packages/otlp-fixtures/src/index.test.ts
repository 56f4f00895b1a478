import { describe, expect, it } from "vitest";
import { otlpJsonBatch } from "./index";

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: number; message?: string };
}
interface Export {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue: string } }[] };
    scopeSpans: { spans: ExportedSpan[] }[];
  }[];
}

describe("otlpJsonBatch", () => {
  it("writes whole 12-span checkouts with fresh ids, each process's spans in a resource of its own", () => {
    const now = Date.UTC(2026, 0, 1);
    const batch = otlpJsonBatch(600, now);
    const exported = JSON.parse(batch.body) as Export;
    const byService = new Map(
      exported.resourceSpans.map((resource) => [
        resource.resource.attributes[0]!.value.stringValue,
        resource.scopeSpans[0]!.spans,
      ]),
    );
    expect([...byService.keys()].sort()).toEqual(["browser", "email", "inventory", "order", "payment", "storefront"]);
    const spans = [...byService.values()].flat();
    expect(batch.spans).toBe(600);
    expect(spans).toHaveLength(600);
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(600);

    const traces = new Map<string, ExportedSpan[]>();
    for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
    expect(traces.size).toBe(50);
    for (const trace of traces.values()) {
      expect(trace).toHaveLength(12);
      const ids = new Set(trace.map((span) => span.spanId));
      expect(trace.filter((span) => span.parentSpanId === "").map((span) => span.name)).toEqual([
        "POST /api/trpc/checkout.placeOrder",
      ]);
      expect(trace.every((span) => span.parentSpanId === "" || ids.has(span.parentSpanId))).toBe(true);
    }
    // The latest end is 10 ms before `now`, in nanoseconds.
    expect(spans.map((span) => BigInt(span.endTimeUnixNano)).reduce((a, b) => (a > b ? a : b))).toBe(
      BigInt(now - 10) * 1_000_000n,
    );
    // One checkout in 50 is declined: its payment server span carries the error.
    expect(spans.filter((span) => span.status.code === 2).map((span) => span.status.message)).toEqual([
      "Your card was declined.",
    ]);
  });
});
