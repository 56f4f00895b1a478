import { describe, expect, it } from "vitest";
import { spansFromOtlpJson } from "~/testing/contract-telemetry";
import { startContractTelemetry } from "~/testing/contract-telemetry-server";
import { traceRequests } from "~/lib/trace-path";
import { startSyntheticTraffic, syntheticTrace, toOtlpJson } from "./synthetic-traffic";

describe("syntheticTrace", () => {
  it("makes whole traces: one root in the browser, every parent present, children inside their parents", () => {
    for (let i = 0; i < 200; i++) {
      const spans = spansFromOtlpJson(toOtlpJson([{ spans: syntheticTrace(), endMs: 1_700_000_000_000 }]));
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

  it("carries a checkout's fan-out: order calls user, product, inventory, payment and email", () => {
    let found = false;
    for (let i = 0; i < 400 && !found; i++) {
      const spans = spansFromOtlpJson(toOtlpJson([{ spans: syntheticTrace(0), endMs: Date.now() }]));
      const targets = new Set(traceRequests(spans).filter((r) => r.source === "order").map((r) => r.target));
      found = ["user", "product", "inventory", "payment", "email", "order/sqlite"].every((t) => targets.has(t));
    }
    expect(found).toBe(true);
  });
});

describe("startSyntheticTraffic", () => {
  it("posts about the asked number of spans per second to an OTLP endpoint", async () => {
    const telemetry = await startContractTelemetry();
    const traffic = startSyntheticTraffic({ otlpUrl: telemetry.otlpUrl, spansPerSecond: 500, tickMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await traffic.stop();
    const { spans, failedPosts } = traffic.stats();
    await telemetry.close();
    expect(failedPosts).toBe(0);
    expect(spans).toBeGreaterThan(300);
    expect(spans).toBeLessThan(800);
  });
});
