import { describe, expect, it } from "vitest";
import { SpanJoiner } from "./joiner";
import type { RequestEvent } from "./request-event";
import { call, span } from "./test-spans";

function joiner(options: { maxPending?: number; maxAgeMs?: number } = {}) {
  const events: RequestEvent[] = [];
  let now = 0;
  const instance = new SpanJoiner(
    { maxPending: options.maxPending ?? 100, maxAgeMs: options.maxAgeMs ?? 1_000, now: () => now },
    (event) => events.push(event),
  );
  return { instance, events, advance: (ms: number) => (now += ms) };
}

describe("SpanJoiner", () => {
  const { client, server } = call(
    "order",
    "inventory",
    { client: "c1", server: "s1" },
    { startMs: 100, durationMs: 20, name: "reservations.reserve" },
  );
  const expected: RequestEvent = {
    traceId: client.traceId,
    spanId: "s1",
    source: "order",
    target: "inventory",
    name: "reservations.reserve",
    startMs: 100,
    durationMs: 20,
    error: false,
    targetInstance: null,
    targetVersion: null,
    synthetic: false,
  };

  it("joins a client span that arrives first with its server span, timed by the client", () => {
    const { instance, events } = joiner();
    instance.add(client);
    expect(events).toEqual([]);
    instance.add(server);
    expect(events).toEqual([expected]);
    expect(instance.stats).toMatchObject({ pendingClients: 0, pendingServers: 0 });
  });

  it("joins a server span that arrives first with its client span", () => {
    const { instance, events } = joiner();
    instance.add(server);
    expect(events).toEqual([]);
    instance.add(client);
    expect(events).toEqual([expected]);
    expect(instance.stats).toMatchObject({ pendingClients: 0, pendingServers: 0 });
  });

  it("times a call a lab fault delayed in its caller from before the wait, as the caller felt it", () => {
    const { instance, events } = joiner();
    instance.add(client);
    instance.add({ ...server, attributes: { ...server.attributes, "microshop.fault.delay_ms": 300 } });
    expect(events).toEqual([{ ...expected, startMs: 100 - 300, durationMs: 20 + 300 }]);
  });

  it("does not add the wait again when the caller's span is its RPC call's, which covers the fault link's wait", () => {
    const { instance, events } = joiner();
    instance.add({ ...client, attributes: { "rpc.system": "trpc", "rpc.method": "reservations.reserve" } });
    instance.add({ ...server, attributes: { ...server.attributes, "microshop.fault.delay_ms": 300 } });
    expect(events).toEqual([expected]);
  });

  it("marks the request failed when either half failed", () => {
    const { instance, events } = joiner();
    instance.add({ ...client, error: true });
    instance.add(server);
    expect(events[0]?.error).toBe(true);
  });

  it("turns a database client span into a request to that service's database at once", () => {
    const { instance, events } = joiner();
    instance.add(
      span({ spanId: "q1", service: "order", kind: "client", name: "INSERT Order", attributes: { "db.system.name": "sqlite" } }),
    );
    instance.add(
      span({ spanId: "q2", service: "user", kind: "client", name: "SELECT", attributes: { "db.system": "postgresql" } }),
    );
    expect(events.map((e) => [e.source, e.target, e.spanId, e.name])).toEqual([
      ["order", "order/sqlite", "q1", "INSERT Order"],
      ["user", "user/postgresql", "q2", "SELECT"],
    ]);
    expect(instance.stats).toMatchObject({ pendingClients: 0, pendingServers: 0 });
  });

  it("ignores calls inside one process", () => {
    const { instance, events } = joiner();
    const inside = call("monolith", "monolith", { client: "c1", server: "s1" });
    instance.add(inside.client);
    instance.add(inside.server);
    expect(events).toEqual([]);
  });

  it("keeps at most maxPending halves per side, dropping the oldest", () => {
    const { instance, events } = joiner({ maxPending: 10 });
    for (let i = 0; i < 1_000; i++) {
      const pair = call("a", "b", { client: `c${i}`, server: `s${i}` });
      instance.add(pair.client);
      instance.add({ ...pair.server, spanId: `orphan${i}`, parentSpanId: `missing${i}` });
    }
    expect(instance.stats).toEqual({ pendingClients: 10, pendingServers: 10, droppedHalves: 1_980 });
    // The newest halves are still waiting and join when their partner comes.
    instance.add(call("a", "b", { client: "c999", server: "s999" }).server);
    expect(events.map((e) => e.spanId)).toEqual(["s999"]);
  });

  it("forgets halves that waited longer than maxAgeMs", () => {
    const { instance, events, advance } = joiner({ maxAgeMs: 1_000 });
    instance.add(client);
    advance(600);
    instance.add(call("x", "y", { client: "c2", server: "s2" }).client);
    advance(600);
    instance.expire();
    expect(instance.stats).toMatchObject({ pendingClients: 1, droppedHalves: 1 });
    instance.add(server);
    expect(events).toEqual([]);
  });
});
