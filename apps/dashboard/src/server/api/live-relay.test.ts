import { describe, expect, it } from "vitest";
import type { RequestEvent } from "~/telemetry/contract";
import { LiveRelay, type UpstreamSubscribe } from "./live-relay";

const event = (n: number): RequestEvent => ({
  traceId: "t",
  spanId: String(n),
  source: "a",
  target: "b",
  name: "x",
  startMs: n,
  durationMs: 1,
  targetInstance: null,
  targetVersion: null,
  synthetic: false,
  error: false,
});

function fakeUpstream() {
  const state = { subscriptions: 0, active: 0, push: (_events: RequestEvent[]) => {}, end: () => {} };
  const subscribe: UpstreamSubscribe = ({ onEvents, onEnd }) => {
    state.subscriptions += 1;
    state.active += 1;
    state.push = (events) => onEvents(events);
    state.end = () => {
      state.active -= 1;
      onEnd(new Error("gone"));
    };
    return () => {
      state.active -= 1;
    };
  };
  return { state, subscribe };
}

const nextBatch = async (iterator: AsyncGenerator<RequestEvent[]>) => (await iterator.next()).value as RequestEvent[];

describe("LiveRelay", () => {
  it("shares one upstream subscription between listeners and drops it when the last one leaves", async () => {
    const { state, subscribe } = fakeUpstream();
    const relay = new LiveRelay(subscribe);
    const a = new AbortController();
    const b = new AbortController();
    const one = relay.listen(a.signal);
    const two = relay.listen(b.signal);
    const first = nextBatch(one);
    const second = nextBatch(two);
    await Promise.resolve();
    state.push([event(1)]);
    expect(await first).toEqual([event(1)]);
    expect(await second).toEqual([event(1)]);
    expect(state.subscriptions).toBe(1);
    a.abort();
    b.abort();
    await one.next();
    await two.next();
    expect(relay.listenerCount).toBe(0);
    expect(state.active).toBe(0);
  });

  it("subscribes again after the upstream goes away", async () => {
    const { state, subscribe } = fakeUpstream();
    const relay = new LiveRelay(subscribe, { maxQueued: 100, retryMs: 10 });
    const controller = new AbortController();
    const listener = relay.listen(controller.signal);
    const pending = nextBatch(listener);
    await Promise.resolve();
    state.end();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(state.subscriptions).toBe(2);
    state.push([event(2)]);
    expect(await pending).toEqual([event(2)]);
    controller.abort();
    await listener.next();
  });

  it("keeps only the newest events for a listener that falls behind", async () => {
    const { state, subscribe } = fakeUpstream();
    const relay = new LiveRelay(subscribe, { maxQueued: 3, retryMs: 10 });
    const controller = new AbortController();
    const listener = relay.listen(controller.signal);
    const first = nextBatch(listener);
    await Promise.resolve();
    state.push([event(1)]);
    await first;
    state.push([event(2), event(3)]);
    state.push([event(4), event(5)]);
    expect((await nextBatch(listener)).map((e) => e.spanId)).toEqual(["3", "4", "5"]);
    controller.abort();
    await listener.next();
  });
});
