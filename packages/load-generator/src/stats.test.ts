import { describe, expect, it } from "vitest";
import { LoadStats, percentile, recentErrorsKept } from "./stats";

const ok = { ok: true } as const;
const failed = (error: string) => ({ ok: false, error }) as const;

describe("the load's figures", () => {
  it("takes p50 and p95 by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it("counts successes and failures, and times finished journeys per journey and in total", () => {
    const stats = new LoadStats(0);
    // 20 browses of 1..20 ms, 19 succeeded; one checkout of 500 ms that failed.
    for (let index = 1; index <= 20; index++) {
      stats.started("browse", 100);
      stats.finished("browse", 100, 100 + index, index === 20 ? failed("catalog.featured answered TIMEOUT: late") : ok);
    }
    stats.started("checkout", 100);
    stats.finished("checkout", 100, 600, failed("checkout.place answered INTERNAL_SERVER_ERROR: boom"));
    stats.started("cart", 200);
    const summary = stats.summary(1_000);
    expect(summary.byJourney.browse).toEqual({ started: 20, succeeded: 19, failed: 1, p50Ms: 10, p95Ms: 19 });
    expect(summary.byJourney.checkout).toEqual({ started: 1, succeeded: 0, failed: 1, p50Ms: 500, p95Ms: 500 });
    expect(summary.byJourney.cart).toEqual({ started: 1, succeeded: 0, failed: 0, p50Ms: null, p95Ms: null });
    expect(summary.total).toEqual({ started: 22, succeeded: 19, failed: 2, p50Ms: 11, p95Ms: 20 });
    expect(summary.recentErrors?.map((error) => [error.journey, error.at])).toEqual([
      ["browse", 120],
      ["checkout", 600],
    ]);
  });

  it("shows the last 10 s live: what finished in them, and journeys finished per second", () => {
    const stats = new LoadStats(0);
    for (let at = 0; at < 30_000; at += 100) {
      stats.started("search", at);
      // Slow at first (1 s, failing), fast for the last 10 s (50 ms, fine).
      if (at < 20_000) stats.finished("search", at, at + 1_000, failed("slow"));
      else stats.finished("search", at, at + 50, ok);
    }
    const recent = stats.summary(30_000).recent;
    // The window is (20 s, 30 s]: a journey at exactly 20 s is out of it.
    expect(recent.started).toBe(99);
    expect(recent.succeeded).toBe(100);
    expect(recent.failed).toBe(9); // finished after 20 s although started before it
    expect(recent.p50Ms).toBe(50);
    expect(recent.p95Ms).toBe(1_000);
    expect(recent.perSecond).toBeCloseTo(10.9);
    // Young runs divide by their age, not by 10 s.
    const young = new LoadStats(0);
    for (let at = 0; at < 2_000; at += 100) young.finished("browse", at, at, ok);
    expect(young.summary(2_000).recent.perSecond).toBeCloseTo(10);
  });

  it("keeps skipped starts and only the last failures, newest last", () => {
    const stats = new LoadStats(0);
    stats.skipped();
    stats.skipped();
    for (let index = 0; index < recentErrorsKept + 5; index++)
      stats.finished("cart", index, index + 1, failed(`failure ${index}`));
    const summary = stats.summary(100);
    expect(summary.skipped).toBe(2);
    expect(summary.recentErrors).toHaveLength(recentErrorsKept);
    expect(summary.recentErrors?.at(-1)?.message).toBe(`failure ${recentErrorsKept + 4}`);
    expect(summary.recentErrors?.[0]?.message).toBe("failure 5");
  });
});
