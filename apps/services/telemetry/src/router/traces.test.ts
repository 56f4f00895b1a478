import { describe, expect, it } from "vitest";
import { call, span } from "../test-spans";
import { testCaller } from "./test-caller";

const trace = (n: number) => n.toString(16).padStart(32, "0");

/** Three traces, oldest first: a quick browse, a failed checkout tagged by a test, a slow search. */
function traces() {
  const { caller, pipeline } = testCaller();
  const browse = call(
    "storefront",
    "product",
    { traceId: trace(1), client: "a1", server: "a2" },
    { name: "catalog.list", durationMs: 5 },
  );
  const checkout = call(
    "storefront",
    "order",
    { traceId: trace(2), client: "b1", server: "b2" },
    { name: "orders.place", error: true, durationMs: 50 },
  );
  const search = call(
    "storefront",
    "product",
    { traceId: trace(3), client: "c1", server: "c2" },
    { name: "catalog.search", durationMs: 900 },
  );
  pipeline.ingest([browse.client, browse.server]);
  pipeline.ingest([
    checkout.client,
    { ...checkout.server, attributes: { ...checkout.server.attributes, "microshop.test_id": "checkout-declined" } },
  ]);
  pipeline.ingest([
    search.client,
    search.server,
    span({
      traceId: trace(3),
      spanId: "c3",
      parentSpanId: "c2",
      service: "product",
      kind: "internal",
      name: "rank results",
      startMs: 1,
    }),
  ]);
  return caller;
}

const ids = (list: Array<{ traceId: string }>) => list.map((t) => t.traceId);

describe("traces.list", () => {
  it("lists traces newest first, up to the limit", async () => {
    const caller = traces();
    expect(ids(await caller.traces.list())).toEqual([trace(3), trace(2), trace(1)]);
    expect(ids(await caller.traces.list({ limit: 1 }))).toEqual([trace(3)]);
    expect((await caller.traces.list({ limit: 1 }))[0]).toMatchObject({
      rootService: "storefront",
      services: ["product", "storefront"],
      spanCount: 3,
    });
  });

  it("filters by operation (span name or rpc method, any case), status, duration, test id and service", async () => {
    const caller = traces();
    expect(ids(await caller.traces.list({ operation: "CATALOG" }))).toEqual([trace(3), trace(1)]);
    expect(ids(await caller.traces.list({ operation: "rank" }))).toEqual([trace(3)]);
    expect(ids(await caller.traces.list({ status: "error" }))).toEqual([trace(2)]);
    expect(ids(await caller.traces.list({ status: "ok" }))).toEqual([trace(3), trace(1)]);
    expect(ids(await caller.traces.list({ minDurationMs: 50 }))).toEqual([trace(3), trace(2)]);
    expect(ids(await caller.traces.list({ testId: "checkout-declined" }))).toEqual([trace(2)]);
    expect(ids(await caller.traces.list({ testId: "checkout" }))).toEqual([]);
    expect(ids(await caller.traces.list({ service: "order" }))).toEqual([trace(2)]);
    expect(ids(await caller.traces.list({ service: "product", status: "ok", operation: "list" }))).toEqual([trace(1)]);
  });

  it("refuses a bad filter with the field named", async () => {
    const caller = traces();
    await expect(caller.traces.list({ status: "broken" as "ok" })).rejects.toThrow(/status/);
    await expect(caller.traces.list({ limit: 501 })).rejects.toThrow(/limit/);
  });
});

describe("traces.get", () => {
  it("returns the spans in waterfall order, and NOT_FOUND for an unknown trace", async () => {
    const caller = traces();
    const full = await caller.traces.get({ traceId: trace(3) });
    // The server span and its child start together: the parent comes first.
    expect(full.spans.map((s) => s.spanId)).toEqual(["c1", "c2", "c3"]);
    await expect(caller.traces.get({ traceId: trace(99) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
