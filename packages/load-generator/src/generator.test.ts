import { defaultLoadSettings, journeyNames, type JourneyName, type LoadSettings } from "@microshop/lab";
import type { Journey, JourneyContext, JourneyResult } from "@microshop/shopper/journeys";
import { seededRandom } from "@microshop/shopper/random";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLoadGenerator, NotLoopbackError, type LoadGeneratorOptions } from "./generator";

// Time is the test's own: fake timers move it, and the generator reads it through `now`.
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Started {
  readonly name: JourneyName;
  readonly at: number;
  readonly context: JourneyContext;
  finish(result?: JourneyResult): void;
}

/** Journeys that end when the test says so (or after `lastsMs` of fake time). */
function fakeJourneys(lastsMs?: Partial<Record<JourneyName, number>>) {
  const started: Started[] = [];
  const journey =
    (name: JourneyName): Journey =>
    (context) =>
      new Promise<JourneyResult>((resolve) => {
        started.push({ name, at: Date.now(), context, finish: (result = { ok: true }) => resolve(result) });
        const lasts = lastsMs?.[name];
        if (lasts !== undefined) setTimeout(() => resolve({ ok: true }), lasts);
      });
  const journeys = Object.fromEntries(journeyNames.map((name) => [name, journey(name)])) as Record<JourneyName, Journey>;
  return { started, journeys };
}

const allFast = { browse: 5, search: 5, cart: 5, signUp: 5, checkout: 5 };

function generator(overrides: Partial<LoadGeneratorOptions> = {}) {
  return createLoadGenerator({
    storefrontUrl: "http://127.0.0.1:3000",
    random: seededRandom(5),
    now: () => Date.now(),
    ...overrides,
  });
}

const settings = (changes: Partial<LoadSettings> = {}): LoadSettings => ({
  ...defaultLoadSettings,
  maxInFlight: 200,
  ...changes,
});
const gaps = (times: readonly number[]) => new Set(times.slice(1).map((at, index) => at - times[index]!));

describe("the load generator", () => {
  it("starts `rate` journeys a second, one every 1/rate s", async () => {
    const fake = fakeJourneys(allFast);
    const load = generator({ journeys: fake.journeys });
    const status = load.start(settings({ rate: 10 }));
    expect(status).toMatchObject({ running: true, startedAt: 1_000_000, stoppedBecause: null });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(fake.started).toHaveLength(100);
    expect(gaps(fake.started.map((journey) => journey.at))).toEqual(new Set([100]));
    expect(load.status().total).toMatchObject({ started: 100, succeeded: 100, failed: 0, p50Ms: 5, p95Ms: 5 });
    await load.close();
  });

  it("is running but idle at rate 0, and takes a new rate, mix and cap live", async () => {
    const fake = fakeJourneys(allFast);
    const load = generator({ journeys: fake.journeys });
    load.start(settings({ rate: 0 }));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(load.status()).toMatchObject({ running: true, total: { started: 0 } });

    const onlyBrowse = { browse: 1, search: 0, cart: 0, signUp: 0, checkout: 0 };
    load.start(settings({ rate: 2, mix: onlyBrowse }));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fake.started.map((journey) => journey.name)).toEqual(Array(10).fill("browse"));

    const onlyCheckout = { browse: 0, search: 0, cart: 0, signUp: 0, checkout: 1 };
    const changed = load.start(settings({ rate: 20, mix: onlyCheckout, maxDurationS: 12 }));
    expect(changed.startedAt).toBe(1_000_000);
    expect(changed.settings.rate).toBe(20);
    await vi.advanceTimersByTimeAsync(5_000);
    const checkouts = fake.started.filter((journey) => journey.name === "checkout");
    expect(checkouts).toHaveLength(40); // 12 s cap from the start: 2 s of them at 20/s
    expect(gaps(checkouts.map((journey) => journey.at))).toEqual(new Set([50]));
    expect(load.status()).toMatchObject({ running: false, stoppedBecause: "cap" });
  });

  it("never runs more than maxInFlight at once: a start beyond is skipped and counted", async () => {
    const fake = fakeJourneys();
    const load = generator({ journeys: fake.journeys });
    load.start(settings({ rate: 10, maxInFlight: 3 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(load.status()).toMatchObject({ inFlight: 3, skipped: 8, total: { started: 3 } });
    for (const journey of fake.started) journey.finish();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(load.status()).toMatchObject({ inFlight: 3, skipped: 15, total: { started: 6, succeeded: 3 } });
    load.stop();
  });

  it("stops by itself at its cap and keeps no timer", async () => {
    const fake = fakeJourneys(allFast);
    const load = generator({ journeys: fake.journeys });
    load.start(settings({ rate: 10, maxDurationS: 2 }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(load.status()).toMatchObject({ running: false, stoppedBecause: "cap", total: { started: 20, succeeded: 20 } });
    expect(vi.getTimerCount()).toBe(0);

    // Idle at rate 0, it still stops on time.
    load.start(settings({ rate: 0, maxDurationS: 3 }));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(load.status()).toMatchObject({ running: false, stoppedBecause: "cap", startedAt: 1_010_000 });
  });

  it("stops when asked, counts what finishes after, and a new start is a new run", async () => {
    const fake = fakeJourneys();
    const load = generator({ journeys: fake.journeys });
    load.start(settings({ rate: 1 }));
    await vi.advanceTimersByTimeAsync(1_500);
    expect(load.stop()).toMatchObject({ running: false, stoppedBecause: "asked", inFlight: 2 });
    fake.started[0]?.finish();
    fake.started[1]?.finish({ ok: false, error: "catalog.featured answered TIMEOUT: late" });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.started).toHaveLength(2);
    expect(load.status()).toMatchObject({
      inFlight: 0,
      total: { started: 2, succeeded: 1, failed: 1 },
      recentErrors: [{ message: "catalog.featured answered TIMEOUT: late" }],
    });

    const again = load.start(settings({ rate: 1 }));
    expect(again).toMatchObject({ running: true, startedAt: 1_006_500, stoppedBecause: null, total: { started: 1, failed: 0 } });
    load.stop();
  });

  it("times journeys and counts their verdicts, a crash as a failure", async () => {
    const fake = fakeJourneys({ browse: 100, checkout: 300 });
    const crashing: Journey = () => {
      throw new Error("bug in a journey");
    };
    const load = generator({ journeys: { ...fake.journeys, search: crashing } });
    load.start(settings({ rate: 10, mix: { browse: 3, search: 1, cart: 0, signUp: 0, checkout: 1 } }));
    await vi.advanceTimersByTimeAsync(4_999);
    load.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    const { byJourney, total, recent } = load.status();
    expect(byJourney.browse).toMatchObject({ failed: 0, p50Ms: 100, p95Ms: 100 });
    expect(byJourney.checkout).toMatchObject({ failed: 0, p50Ms: 300, p95Ms: 300 });
    expect(byJourney.search).toMatchObject({ succeeded: 0, p50Ms: 0 });
    expect(byJourney.search.failed).toBe(byJourney.search.started);
    expect(total.started).toBe(50);
    expect(total.succeeded + total.failed).toBe(50);
    expect(recent.succeeded).toBe(byJourney.browse.succeeded + byJourney.checkout.succeeded);
    expect(load.status().recentErrors?.at(-1)).toMatchObject({ journey: "search", message: "crashed: bug in a journey" });
  });

  it("closes: stops (shutdown), waits for journeys in flight up to its bound, then aborts them", async () => {
    const fake = fakeJourneys();
    const load = generator({ journeys: fake.journeys, closeTimeoutMs: 2_000 });
    load.start(settings({ rate: 1 }));
    let closed = false;
    const first = load.close();
    expect(load.close()).toBe(first); // a second close waits for the same
    const closing = first.then(() => (closed = true));
    expect(load.status()).toMatchObject({ running: false, stoppedBecause: "shutdown", inFlight: 1 });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(closed).toBe(false);
    expect(fake.started[0]?.context.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(fake.started[0]?.context.signal?.aborted).toBe(true);
    expect(() => load.start(settings())).toThrow(/closed/);
  });

  it("returns from close as soon as the last journey ends", async () => {
    const fake = fakeJourneys({ cart: 50, browse: 50, search: 50, signUp: 50, checkout: 50 });
    const load = generator({ journeys: fake.journeys, closeTimeoutMs: 60_000 });
    load.start(settings({ rate: 1 }));
    const closing = load.close();
    await vi.advanceTimersByTimeAsync(50);
    await closing;
    expect(load.status()).toMatchObject({ inFlight: 0, total: { succeeded: 1 } });
  });

  it("refuses invalid settings with what is wrong", () => {
    const load = generator({ journeys: fakeJourneys().journeys });
    expect(() => load.start(settings({ rate: 51 }))).toThrow(/Invalid load settings.*at most 50 journeys a second/s);
    expect(() => load.start(settings({ mix: { browse: 0, search: 0, cart: 0, signUp: 0, checkout: 0 } }))).toThrow(
      /at least one journey/,
    );
    expect(load.status().running).toBe(false);
  });

  it("drives only a storefront on loopback", () => {
    for (const url of ["http://127.0.0.1:3000", "http://localhost:3000/", "http://[::1]:3000", "https://LOCALHOST"])
      expect(() => generator({ storefrontUrl: url })).not.toThrow();
    for (const url of ["http://10.0.0.5:3000", "http://shop.example.com", "http://127.0.0.2:3000", "http://0.0.0.0:3000"]) {
      expect(() => generator({ storefrontUrl: url })).toThrow(NotLoopbackError);
      expect(() => generator({ storefrontUrl: url })).toThrow(/drives only a storefront on this machine/);
    }
    expect(() => generator({ storefrontUrl: "ftp://localhost" })).toThrow(NotLoopbackError);
    expect(() => generator({ storefrontUrl: "localhost:3000" })).toThrow(NotLoopbackError);
    expect(() => generator({ storefrontUrl: "not a url" })).toThrow(/needs the storefront's URL/);
  });
});
