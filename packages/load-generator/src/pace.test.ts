import { describe, expect, it } from "vitest";
import { changeRate, maxLagMs, startPace, takeDue, type Pace } from "./pace";

/** Asks the pace at each of `times` and returns when starts happened (one entry per start). */
function run(pace: Pace, times: readonly number[]): { starts: number[]; pace: Pace } {
  const starts: number[] = [];
  for (const at of times) {
    const next = takeDue(pace, at);
    for (let start = 0; start < next.due; start++) starts.push(at);
    pace = next.pace;
  }
  return { starts, pace };
}

const everyMs = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe("the pace", () => {
  it("starts `rate` journeys a second, one every 1/rate s, the first at once", () => {
    const { starts } = run(startPace(50, 0), everyMs(0, 10_000));
    expect(starts).toHaveLength(500);
    expect(starts[0]).toBe(0);
    // Spread evenly: every gap is one interval, so no second holds more than its share.
    expect(new Set(starts.slice(1).map((at, index) => at - starts[index]!))).toEqual(new Set([20]));
  });

  it("keeps an uneven interval even to the millisecond, and the count right over a window", () => {
    const { starts } = run(startPace(30, 0), everyMs(0, 10_000));
    expect(starts).toHaveLength(300);
    const gaps = new Set(starts.slice(1).map((at, index) => at - starts[index]!));
    expect([...gaps].every((gap) => gap === 33 || gap === 34)).toBe(true);
  });

  it("counts right when asked at irregular moments, never starting more than the time owes", () => {
    const times: number[] = [];
    for (let at = 0, step = 0; at < 10_000; step++) {
      times.push(at);
      at += [1, 7, 13, 30, 4][step % 5]!;
    }
    const { starts } = run(startPace(40, 0), times);
    expect(starts.length).toBeGreaterThanOrEqual(399);
    expect(starts.length).toBeLessThanOrEqual(401);
    const perMoment = new Map<number, number>();
    for (const at of starts) perMoment.set(at, (perMoment.get(at) ?? 0) + 1);
    // The longest wait between two asks is 30 ms: at most two starts are owed then.
    expect(Math.max(...perMoment.values())).toBeLessThanOrEqual(2);
  });

  it("is idle at rate 0 and starts at once when the slider leaves 0", () => {
    let pace = startPace(0, 0);
    expect(run(pace, everyMs(0, 5_000)).starts).toEqual([]);
    pace = changeRate(pace, 5, 5_000);
    expect(run(pace, everyMs(5_000, 6_000)).starts).toEqual([5_000, 5_200, 5_400, 5_600, 5_800]);
    expect(run(changeRate(pace, 0, 5_000), everyMs(5_000, 6_000)).starts).toEqual([]);
  });

  it("takes a faster rate within one new interval, not at the old next start", () => {
    const slow = run(startPace(1, 0), [0]).pace;
    expect(slow.nextAt).toBe(1_000);
    const fast = changeRate(slow, 50, 100);
    expect(run(fast, everyMs(100, 200)).starts).toEqual([120, 140, 160, 180]);
  });

  it("drops starts owed for longer than its lag bound instead of bursting them", () => {
    const pace = run(startPace(50, 0), [0]).pace;
    const afterStall = takeDue(pace, 5_000);
    expect(afterStall.due).toBe(1);
    const shortDelay = takeDue(pace, maxLagMs);
    expect(shortDelay.due).toBe(Math.floor((maxLagMs - 20) / 20) + 1);
  });
});
