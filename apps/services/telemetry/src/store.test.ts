import { expect, it } from "vitest";
import { estimatedBytes, TraceStore } from "./store";
import { span as spanWith } from "./test-spans";

const span = (traceId: string, spanId: string) => spanWith({ traceId, spanId });

it("keeps memory bounded by dropping the oldest traces first", () => {
  const store = new TraceStore(5);
  store.add([span("t1", "a"), span("t1", "b"), span("t2", "c"), span("t3", "d")]);
  expect(store.size).toMatchObject({ traces: 3, spans: 4 });
  store.add([span("t4", "e"), span("t4", "f")]);
  expect(store.size).toMatchObject({ traces: 3, spans: 4 });
  expect(store.trace("t1")).toBeUndefined();
  expect(store.recentTraces(10).map((trace) => trace[0]?.traceId)).toEqual(["t4", "t3", "t2"]);
  for (let i = 0; i < 10_000; i++) store.add([span(`x${i}`, "s")]);
  expect(store.size.spans).toBeLessThanOrEqual(5);
});

it("keeps memory bounded by bytes too: a few huge spans push the oldest traces out", () => {
  const huge = (traceId: string) =>
    spanWith({
      traceId,
      spanId: "a",
      attributes: Object.fromEntries(Array.from({ length: 128 }, (_, i) => [`k${i}`, "x".repeat(4_096)])),
    });
  const perSpan = estimatedBytes(huge("t00"));
  const store = new TraceStore(50_000, perSpan * 3);
  for (let i = 0; i < 100; i++) store.add([huge(`t${String(i).padStart(2, "0")}`)]);
  expect(store.size).toMatchObject({ traces: 3, spans: 3 });
  expect(store.size.bytes).toBeLessThanOrEqual(perSpan * 3);
  expect(store.recentTraces(10).map((trace) => trace[0]?.traceId)).toEqual(["t99", "t98", "t97"]);
});

it("counts every kept span's bytes, whatever the traces' sizes and the order their spans arrive in", () => {
  const store = new TraceStore(20);
  const sizes = [1, 4, 2, 7, 3, 5, 1, 6];
  sizes.forEach((size, t) => {
    const spans = Array.from({ length: size }, (_, i) =>
      spanWith({ traceId: `t${t}`, spanId: `s${i}`, name: "n".repeat(i * 10) }),
    );
    // Half of each trace now, the rest with the next export, as processes export on their own clocks.
    store.add(spans.slice(0, Math.ceil(size / 2)));
    store.add(spans.slice(Math.ceil(size / 2)));
  });
  const kept = [...store.allTraces()].flat();
  expect(store.size.spans).toBe(kept.length);
  expect(store.size.bytes).toBe(kept.reduce((sum, record) => sum + estimatedBytes(record), 0));
  expect(store.size.spans).toBeLessThanOrEqual(20);
});
