import { defaultLoadSettings, journeyNames } from "@microshop/lab";
import { startFakeStorefront, FakeTrpcError, type FakeStorefront } from "@microshop/shopper/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLoadGenerator, type LoadGenerator } from "./generator";

// Real journeys over real HTTP against a fake storefront on loopback. Waits are budgets: nothing
// here depends on how fast the machine is.
let store: FakeStorefront;
let load: LoadGenerator | undefined;
beforeEach(async () => {
  store = await startFakeStorefront();
});
afterEach(async () => {
  await load?.close();
  await store.close();
});

const everyJourney = { browse: 1, search: 1, cart: 1, signUp: 1, checkout: 1 };

describe("the load generator against a storefront", () => {
  it("runs every journey through the BFF, each request tagged with the load's baggage beside the caller's", async () => {
    load = createLoadGenerator({ storefrontUrl: `${store.url}/`, headers: { Baggage: "tenant=lab, microshop.synthetic=other" } });
    load.start({ ...defaultLoadSettings, rate: 20, mix: everyJourney, declineShare: 0.5 });
    await vi.waitFor(
      () => {
        const { byJourney } = load!.status();
        for (const name of journeyNames) expect(byJourney[name].succeeded).toBeGreaterThanOrEqual(2);
      },
      { timeout: 50_000, interval: 100 },
    );
    load.stop();
    await load.close();

    const status = load.status();
    expect(status.total.failed).toBe(0);
    expect(status.total.succeeded).toBe(status.total.started);
    expect(status.recent.p95Ms).not.toBeNull();
    expect(store.requests.length).toBeGreaterThan(20);
    const baggage = new Set(store.requests.map((request) => request.headers.baggage));
    expect(baggage).toEqual(new Set(["tenant=lab,microshop.synthetic=load"]));
    expect(store.count("checkout.place")).toBeGreaterThanOrEqual(2);
  });

  it("shows what the store answered when journeys fail", async () => {
    store.answer("catalog.search", () => {
      throw new FakeTrpcError("SERVICE_UNAVAILABLE", "The catalog is unavailable right now", 503);
    });
    load = createLoadGenerator({ storefrontUrl: store.url });
    load.start({ ...defaultLoadSettings, rate: 20, mix: { browse: 0, search: 1, cart: 0, signUp: 0, checkout: 0 } });
    await vi.waitFor(() => expect(load!.status().total.failed).toBeGreaterThanOrEqual(3), { timeout: 50_000, interval: 100 });
    const { recentErrors, total } = load.stop();
    expect(total.succeeded).toBe(0);
    expect(recentErrors?.at(-1)).toMatchObject({
      journey: "search",
      message: "catalog.search answered SERVICE_UNAVAILABLE: The catalog is unavailable right now",
    });
  });

  it("aborts the requests of journeys still in flight when closing takes too long", async () => {
    store.answer("catalog.categories", () => new Promise(() => {}));
    load = createLoadGenerator({ storefrontUrl: store.url, closeTimeoutMs: 100 });
    load.start({ ...defaultLoadSettings, rate: 1, mix: { browse: 1, search: 0, cart: 0, signUp: 0, checkout: 0 } });
    await vi.waitFor(() => expect(store.count("catalog.categories")).toBe(1), { timeout: 50_000, interval: 50 });
    await load.close();
    await vi.waitFor(() => expect(load!.status().inFlight).toBe(0), { timeout: 50_000, interval: 50 });
    expect(load.status()).toMatchObject({
      stoppedBecause: "shutdown",
      total: { failed: 1 },
      recentErrors: [{ message: expect.stringMatching(/^catalog\.featured answered ABORTED/) as unknown }],
    });
  });
});
