import { describe, expect, it } from "vitest";
import { call, span } from "../test-spans";
import { testCaller } from "./test-caller";

const NOW = 1_000_000;

/** browser → storefront → order → order/sqlite, with one failed order call, all in the last minute. */
function shop() {
  const { caller, pipeline, clock } = testCaller(NOW);
  const at = NOW - 10_000;
  for (let i = 0; i < 4; i++) {
    const page = call(
      "browser",
      "storefront",
      { client: `b${i}`, server: `f${i}` },
      { startMs: at + i, durationMs: 100, name: "checkout.placeOrder" },
    );
    const place = call(
      "storefront",
      "order",
      { client: `g${i}`, server: `o${i}` },
      { startMs: at + i, durationMs: 10 * (i + 1), name: "orders.place", error: i === 3 },
    );
    const query = span({
      spanId: `q${i}`,
      service: "order",
      kind: "client",
      name: "INSERT Order",
      startMs: at + i,
      durationMs: 2,
      attributes: { "db.system.name": "sqlite" },
    });
    // Halves arrive in separate exports, callee first for half of them.
    if (i % 2 === 0) pipeline.ingest([page.server, place.server, query]);
    else pipeline.ingest([page.client, place.client]);
    if (i % 2 === 0) pipeline.ingest([page.client, place.client]);
    else pipeline.ingest([page.server, place.server, query]);
  }
  pipeline.ingest([
    span({ spanId: "x1", service: "order", name: "orders.get", attributes: { "rpc.method": "orders.get" }, startMs: at }),
  ]);
  return { caller, clock };
}

describe("graph", () => {
  it("lists nodes with their kind and callee metrics, and edges with theirs", async () => {
    const { caller } = shop();
    const graph = await caller.graph({ windowSeconds: 60 });
    expect(graph.nodes.map((n) => [n.id, n.kind, n.metrics?.requests ?? null])).toEqual([
      ["browser", "client", null],
      ["order", "service", 4],
      ["order/sqlite", "database", 4],
      ["storefront", "service", 4],
    ]);
    expect(graph.edges.map((e) => [e.source, e.target, e.requests, e.errorRate])).toEqual([
      ["browser", "storefront", 4, 0],
      ["order", "order/sqlite", 4, 0],
      ["storefront", "order", 4, 0.25],
    ]);
    const toOrder = graph.edges.find((e) => e.target === "order");
    expect(toOrder).toMatchObject({ perSecond: 4 / 60, p50Ms: 20, p95Ms: 40, p99Ms: 40 });
    expect(graph.totals).toMatchObject({ requests: 12, errorRate: 1 / 12, perSecond: 12 / 60 });
    expect(graph.windowSeconds).toBe(60);
  });

  it("counts only requests inside the window, but keeps the nodes", async () => {
    const { caller, clock } = shop();
    clock.nowMs = NOW + 120_000;
    const graph = await caller.graph({ windowSeconds: 60 });
    expect(graph.edges).toEqual([]);
    expect(graph.nodes.every((n) => n.metrics === null)).toBe(true);
    expect(graph.totals).toMatchObject({ requests: 0, errorRate: 0, p95Ms: 0 });
    expect((await caller.graph({ windowSeconds: 3_600 })).totals.requests).toBe(12);
  });

  it("refuses a window outside 1..3600 seconds", async () => {
    const { caller } = shop();
    await expect(caller.graph({ windowSeconds: 0 })).rejects.toThrow(/windowSeconds/);
    await expect(caller.graph({ windowSeconds: 3_601 })).rejects.toThrow(/windowSeconds/);
  });
});

describe("node", () => {
  it("shows a node's operations and its latest errors, newest first", async () => {
    const { caller } = shop();
    const order = await caller.node({ id: "order" });
    expect(order).toMatchObject({ id: "order", kind: "service", metrics: { requests: 4, errorRate: 0.25 } });
    expect(order.operations).toEqual([{ name: "orders.place", requests: 4, errorRate: 0.25, p95Ms: 40 }]);
    expect(order.recentErrors).toEqual([
      {
        traceId: "0af7651916cd43dd8448eb211c80319c",
        spanId: "o3",
        name: "orders.place",
        message: "it failed",
        startMs: NOW - 10_000 + 4,
      },
    ]);
    const database = await caller.node({ id: "order/sqlite", windowSeconds: 60 });
    expect(database).toMatchObject({ kind: "database", operations: [{ name: "INSERT Order", requests: 4 }], recentErrors: [] });
    expect(await caller.node({ id: "browser" })).toMatchObject({ kind: "client", metrics: null, operations: [] });
  });

  it("keeps only the 20 latest errors", async () => {
    const { caller, pipeline } = testCaller();
    for (let i = 0; i < 30; i++)
      pipeline.ingest([span({ spanId: `e${i}`, service: "payment", error: true, statusMessage: `declined ${i}`, startMs: i })]);
    const { recentErrors } = await caller.node({ id: "payment" });
    expect(recentErrors).toHaveLength(20);
    expect(recentErrors[0]).toMatchObject({ spanId: "e29", message: "declined 29" });
  });

  it("answers NOT_FOUND for a node never seen", async () => {
    const { caller } = shop();
    await expect(caller.node({ id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.node({ id: "nope" })).rejects.toThrow(/"nope"/);
  });
});

describe("edge", () => {
  it("lists an edge's latest requests, newest first, up to the limit", async () => {
    const { caller } = shop();
    const requests = await caller.edge({ source: "storefront", target: "order", limit: 3 });
    expect(requests.map((r) => r.spanId)).toEqual(["o3", "o2", "o1"]);
    expect(requests[0]).toMatchObject({
      source: "storefront",
      target: "order",
      name: "orders.place",
      durationMs: 40,
      error: true,
    });
    expect(await caller.edge({ source: "order", target: "nowhere" })).toEqual([]);
    await expect(caller.edge({ source: "a", target: "b", limit: 201 })).rejects.toThrow(/limit/);
  });
});

describe("replicas and load traffic", () => {
  /** storefront → cart, answered by cart-1 (1.0.0) and cart-2 (1.1.0); every other call is the load generator's. */
  function replicas() {
    const { caller, pipeline } = testCaller(NOW);
    const at = NOW - 5_000;
    for (let i = 0; i < 6; i++) {
      const { client, server } = call(
        "storefront",
        "cart",
        { client: `c${i}`, server: `s${i}` },
        { startMs: at + i, durationMs: i % 3 === 0 ? 30 : 10, name: "carts.get", error: i === 5 },
      );
      const synthetic = i % 2 === 1;
      pipeline.ingest([
        { ...client, synthetic },
        { ...server, instance: i < 4 ? "cart-1" : "cart-2", version: i < 4 ? "1.0.0" : "1.1.0", synthetic },
      ]);
    }
    return caller;
  }

  it("counts each replica's calls by instance and version", async () => {
    const graph = await replicas().graph({ windowSeconds: 60 });
    expect(graph.includeSynthetic).toBe(true);
    expect(graph.instances.map((i) => [i.service, i.instance, i.version, i.requests, i.errorRate])).toEqual([
      ["cart", "cart-1", "1.0.0", 4, 0],
      ["cart", "cart-2", "1.1.0", 2, 0.5],
    ]);
    expect(graph.instances[0]).toMatchObject({ perSecond: 4 / 60, p95Ms: 30 });
  });

  it("counts replicas over their own window when asked", async () => {
    const { caller, pipeline } = testCaller(NOW);
    const at = (ago: number, i: number) =>
      call("storefront", "cart", { client: `w${i}`, server: `x${i}` }, { startMs: NOW - ago, name: "carts.get" });
    for (const [i, ago] of [30_000, 30_000, 2_000].entries()) {
      const { client, server } = at(ago, i);
      pipeline.ingest([client, { ...server, instance: "cart-1", version: "1.0.0" }]);
    }
    const graph = await caller.graph({ windowSeconds: 60, instanceWindowSeconds: 10 });
    expect(graph.instanceWindowSeconds).toBe(10);
    expect(graph.instances).toMatchObject([{ instance: "cart-1", requests: 1, perSecond: 1 / 10 }]);
    expect(graph.edges).toMatchObject([{ target: "cart", requests: 3 }]);
  });

  it("leaves the load generator's requests out of every count when asked", async () => {
    const caller = replicas();
    const graph = await caller.graph({ windowSeconds: 60, includeSynthetic: false });
    expect(graph.instances.map((i) => [i.instance, i.requests])).toEqual([
      ["cart-1", 2],
      ["cart-2", 1],
    ]);
    expect(graph.edges.map((e) => [e.target, e.requests, e.errorRate])).toEqual([["cart", 3, 0]]);
    expect(graph.totals.requests).toBe(3);
    const cart = await caller.node({ id: "cart", includeSynthetic: false });
    expect(cart.operations).toEqual([{ name: "carts.get", requests: 3, errorRate: 0, p95Ms: 30 }]);
    const requests = await caller.edge({ source: "storefront", target: "cart", includeSynthetic: false });
    expect(requests.map((r) => r.spanId)).toEqual(["s4", "s2", "s0"]);
    expect((await caller.edge({ source: "storefront", target: "cart" })).length).toBe(6);
  });

  it("draws no replica for a callee whose resource does not name its instance, nor for a database", async () => {
    const { caller } = shop();
    expect((await caller.graph({ windowSeconds: 60 })).instances).toEqual([]);
  });
});
