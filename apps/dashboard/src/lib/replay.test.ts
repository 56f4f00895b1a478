import { describe, expect, it } from "vitest";
import type { Span } from "~/telemetry/contract";
import { minimumParticleMs, replayLength, replaySchedule } from "./replay";
import { traceRequests, tracePath, type TraceRequest } from "./trace-path";

const span = (
  spanId: string,
  parentSpanId: string | null,
  service: string,
  kind: Span["kind"],
  startMs: number,
  durationMs: number,
  attributes: Span["attributes"] = {},
  error = false,
): Span => ({
  traceId: "b".repeat(32),
  spanId,
  parentSpanId,
  service,
  name: `${service}:${spanId}`,
  kind,
  startMs,
  durationMs,
  error,
  statusMessage: error ? "failed" : "",
  instance: null,
  version: null,
  synthetic: false,
  attributes,
});

// browser → storefront → order → (payment, order's database)
const checkout: Span[] = [
  span("b1", null, "browser", "client", 0, 40),
  span("s1", "b1", "storefront", "server", 1, 38),
  span("s2", "s1", "storefront", "client", 2, 35),
  span("o1", "s2", "order", "server", 3, 33),
  span("o2", "o1", "order", "client", 5, 2, { "db.system.name": "sqlite" }),
  span("o3", "o1", "order", "client", 10, 20),
  span("p1", "o3", "payment", "server", 11, 18, {}, true),
  span("o4", "o1", "order", "internal", 31, 1),
];

describe("traceRequests", () => {
  it("finds each call (timed by its caller) and each database query, in start order", () => {
    expect(traceRequests(checkout).map((r) => [r.source, r.target, r.startMs, r.durationMs, r.error])).toEqual([
      ["browser", "storefront", 0, 40, false],
      ["storefront", "order", 2, 35, false],
      ["order", "order/sqlite", 5, 2, false],
      ["order", "payment", 10, 20, true],
    ]);
  });

  it("gives the nodes and edges a trace touched", () => {
    const path = tracePath(checkout);
    expect([...path.edges].sort()).toEqual(["browser->storefront", "order->order/sqlite", "order->payment", "storefront->order"]);
    expect([...path.nodes].sort()).toEqual(["browser", "order", "order/sqlite", "payment", "storefront"]);
  });
});

describe("replaySchedule", () => {
  const requests = traceRequests(checkout);

  it("keeps the real relative timing, slowed down by the speed", () => {
    const steps = replaySchedule(requests, 10);
    expect(steps.map((s) => [s.request.target, s.atMs])).toEqual([
      ["storefront", 0],
      ["order", 20],
      ["order/sqlite", 50],
      ["payment", 100],
    ]);
    expect(steps.find((s) => s.request.target === "storefront")?.durationMs).toBe(minimumParticleMs);
    expect(replaySchedule(requests, 25).find((s) => s.request.target === "order")?.durationMs).toBe(875);
  });

  it("gives every request one dot, never shorter than the visible minimum", () => {
    const steps = replaySchedule(requests, 5);
    expect(steps).toHaveLength(requests.length);
    for (const step of steps) expect(step.durationMs).toBeGreaterThanOrEqual(minimumParticleMs);
  });

  it("orders by start whatever order the requests come in, and lasts until the last dot is back", () => {
    const reversed: TraceRequest[] = [...requests].reverse();
    const steps = replaySchedule(reversed, 10);
    expect(steps.map((s) => s.atMs)).toEqual([0, 20, 50, 100]);
    expect(replayLength(steps)).toBe(Math.max(...steps.map((s) => s.atMs + s.durationMs)));
    expect(replaySchedule([], 10)).toEqual([]);
  });
});
