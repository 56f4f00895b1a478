import { expect, it, vi } from "vitest";
import { LiveFeed } from "./live-feed";
import type { RequestEvent } from "./request-event";

const event = (spanId: string): RequestEvent => ({
  traceId: "t",
  spanId,
  source: "a",
  target: "b",
  name: "op",
  startMs: 0,
  durationMs: 1,
  error: false,
  targetInstance: null,
  targetVersion: null,
  synthetic: false,
});

it("sends events in batches, one per flush, never an empty one", async () => {
  vi.useFakeTimers();
  try {
    const feed = new LiveFeed({ flushMs: 50, maxBatchEvents: 100, maxQueuedBatches: 10 });
    const abort = new AbortController();
    const stream = feed.stream(abort.signal);
    feed.publish(event("1"));
    feed.publish(event("2"));
    const first = stream.next();
    await vi.advanceTimersByTimeAsync(50);
    expect((await first).value).toEqual({ events: [event("1"), event("2")] });
    await vi.advanceTimersByTimeAsync(500); // nothing published: nothing sent
    feed.publish(event("3"));
    await vi.advanceTimersByTimeAsync(50);
    expect((await stream.next()).value).toEqual({ events: [event("3")] });
    const ended = stream.next();
    abort.abort();
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(feed.stats.subscribers).toBe(0);
  } finally {
    vi.useRealTimers();
  }
});

it("keeps nothing while no one listens, and bounds what a slow subscriber has waiting", async () => {
  vi.useFakeTimers();
  try {
    const feed = new LiveFeed({ flushMs: 50, maxBatchEvents: 3, maxQueuedBatches: 2 });
    feed.publish(event("lost"));
    const stream = feed.stream(undefined);
    for (let flush = 0; flush < 5; flush++) {
      for (let i = 0; i < 5; i++) feed.publish(event(`${flush}.${i}`));
      await vi.advanceTimersByTimeAsync(50);
    }
    // 5 flushes of 3 events (2 dropped each); only the 2 newest batches wait.
    expect(feed.stats.droppedEvents).toBe(5 * 2 + 3 * 3);
    expect((await stream.next()).value).toEqual({ events: [event("3.0"), event("3.1"), event("3.2")] });
    expect((await stream.next()).value).toEqual({ events: [event("4.0"), event("4.1"), event("4.2")] });
    feed.close();
    expect((await stream.next()).done).toBe(true);
  } finally {
    vi.useRealTimers();
  }
});
