import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { Fault } from "@microshop/lab";
import { callsSince, FeedState } from "./feed-state";

const product = [{ url: "http://127.0.0.1:4001/trpc", instance: "product", version: "1.0.0", weight: 100 }];
const fault: Fault = {
  id: "fault-1",
  target: { kind: "service", service: "payment" },
  since: 0,
  latencyMs: 300,
  jitterMs: 0,
  errorRate: 0,
  timeout: false,
  unreachable: false,
  cpuMs: 0,
};

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("FeedState", () => {
  it("grows the revision with every change of endpoints or faults, and only then", () => {
    const feed = new FeedState();
    expect(feed.revision).toBe(0);
    expect(feed.publish({ endpoints: { product }, faults: [] })).toBe(1);
    expect(feed.publish({ endpoints: { product }, faults: [] })).toBe(1);
    expect(feed.publish({ endpoints: { product }, faults: [fault] })).toBe(2);
    expect(feed.publish({ endpoints: {}, faults: [fault] })).toBe(3);
    expect(feed.sync({ instance: "storefront", revision: -1, calls: [] }, "storefront")).toEqual({
      revision: 3,
      endpoints: {},
      faults: [fault],
    });
  });

  it("waits until every process that reported lately has applied a revision", async () => {
    const feed = new FeedState();
    const revision = feed.publish({ endpoints: { product }, faults: [] });
    // Nobody follows the feed yet: nothing to wait for.
    await expect(feed.waitUntilApplied(revision, { timeoutMs: 50 })).resolves.toEqual({ applied: true });

    feed.sync({ instance: "storefront", revision: 0, calls: [] }, "storefront");
    feed.sync({ instance: "cart", revision: 0, calls: [] }, "cart");
    let settled = false;
    const waiting = feed.waitUntilApplied(revision, { timeoutMs: 5_000 }).then((wait) => {
      settled = true;
      return wait;
    });
    feed.sync({ instance: "storefront", revision, calls: [] }, "storefront");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    feed.sync({ instance: "cart", revision, calls: [] }, "cart");
    await expect(waiting).resolves.toEqual({ applied: true });
  });

  it("gives up at its budget, naming who lags, and forgets processes that stopped reporting", async () => {
    const time = clock();
    const feed = new FeedState({ now: time.now, freshMs: 2_000 });
    const revision = feed.publish({ endpoints: { product }, faults: [] });
    feed.sync({ instance: "cart", revision: 0, calls: [] }, "cart");
    await expect(feed.waitUntilApplied(revision, { timeoutMs: 30 })).resolves.toEqual({ applied: false, lagging: ["cart"] });
    time.advance(2_001);
    await expect(feed.waitUntilApplied(revision, { timeoutMs: 30 })).resolves.toEqual({ applied: true });
  });

  it("adds up calls per callee and instance, and keeps a window of the latest ones", () => {
    const feed = new FeedState({ windowCalls: 10 });
    const report = (ok: number, failed: number) =>
      feed.sync(
        { instance: "storefront", revision: 0, calls: [{ callee: "cart", instance: "cart-2", ok, failed }] },
        "storefront",
      );
    report(6, 0);
    const baseline = feed.totalsFor("cart");
    report(4, 2);
    report(0, 8);
    expect(feed.totalsFor("cart")).toEqual(new Map([["cart-2", { ok: 10, failed: 10 }]]));
    expect(callsSince(feed.totalsFor("cart"), baseline)).toEqual({ ok: 4, failed: 10 });
    // The oldest report fell out of the window: 6 + 8 calls still cover 10.
    expect(feed.recentCalls("cart", "cart-2")).toEqual({ ok: 4, failed: 10 });
    feed.forgetRecent("cart", "cart-2");
    expect(feed.recentCalls("cart", "cart-2")).toEqual({ ok: 0, failed: 0 });
    expect(feed.totalsFor("product")).toEqual(new Map());
  });

  it("refuses a report its caller may not make, as FORBIDDEN", () => {
    const feed = new FeedState({
      refuseReport: (caller, instance) => (instance.startsWith(caller) ? null : `${caller} is not ${instance}`),
    });
    expect(feed.sync({ instance: "cart-2", revision: -1, calls: [] }, "cart").revision).toBe(0);
    const refused = (() => {
      try {
        return feed.sync({ instance: "payment", revision: -1, calls: [] }, "cart");
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: "FORBIDDEN", message: "cart is not payment" });
    expect(feed.following().map((ack) => ack.instance)).toEqual(["cart-2"]);
  });
});
