import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckoutAccounts } from "./checkout-accounts";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { browse, buyable, cart, checkout, search, signUpJourney, type JourneyContext } from "./journeys";
import { seededRandom } from "./random";
import { newShopper } from "./steps";
import { FakeTrpcError, startFakeStorefront, type FakeStorefront } from "./testing/fake-storefront";

let store: FakeStorefront;
beforeEach(async () => {
  store = await startFakeStorefront();
});
afterEach(() => store.close());

function context(overrides: Partial<JourneyContext> = {}): JourneyContext {
  const random = overrides.random ?? seededRandom(7);
  return {
    newShopper: () => newShopper({ baseUrl: store.url, timeoutMs: 10_000 }, random),
    random,
    declineShare: 0,
    accounts: new CheckoutAccounts(),
    followCheckoutMs: 0,
    ...overrides,
  };
}

describe("the load's journeys", () => {
  it("browse: the home page, then product pages with their stock", async () => {
    expect(await browse(context())).toEqual({ ok: true });
    expect(store.requests[0]?.paths).toEqual(["catalog.featured", "catalog.categories"]);
    expect(store.requests.slice(1).every((request) => request.paths.join() === "catalog.bySlug,stock.forProduct")).toBe(true);
    expect(store.requests.length).toBeGreaterThanOrEqual(2);
  });

  it("search: a search, then a product found", async () => {
    expect(await search(context())).toEqual({ ok: true });
    expect(store.count("catalog.search")).toBe(1);
    expect(store.count("catalog.bySlug")).toBe(1);
  });

  it("cart: add, see it in the cart, remove it", async () => {
    expect(await cart(context())).toEqual({ ok: true });
    expect(store.requests.map((request) => request.paths.join())).toEqual([
      "catalog.bySlug,stock.forProduct",
      "cart.add",
      "cart.get",
      "cart.remove",
    ]);
    store.answer("cart.get", () => ({ lines: [], itemCount: 0 }));
    expect(await cart(context())).toEqual({
      ok: false,
      error: expect.stringMatching(/^cart\.get does not show .* just added$/) as unknown,
    });
  });

  it("cart: a sold-out product refused cleanly is the store doing right; another conflict is not", async () => {
    store.answer("cart.add", () => {
      throw new FakeTrpcError("CONFLICT", "Ceramic Bowl Set is out of stock", 409);
    });
    expect(await cart(context())).toEqual({ ok: true });
    store.answer("cart.add", () => {
      throw new FakeTrpcError("CONFLICT", "The cart changed meanwhile", 409);
    });
    expect(await cart(context())).toEqual({ ok: false, error: "cart.add answered CONFLICT: The cart changed meanwhile" });
  });

  it("signUp: a new account, signed in", async () => {
    expect(await signUpJourney(context())).toEqual({ ok: true });
    expect(store.count("account.signUp")).toBe(1);
    expect(store.count("account.me")).toBe(1);

    store.answer("account.me", () => ({ user: null }));
    expect(await signUpJourney(context())).toEqual({ ok: false, error: "account.me does not show the shopper just signed up" });
  });

  it("fails with what the store answered, and explains the sign-up limit", async () => {
    store.answer("account.signUp", () => {
      throw new FakeTrpcError("TOO_MANY_REQUESTS", "Too many sign-ups from here. Try again later.", 429);
    });
    const result = await signUpJourney(context());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /^account\.signUp answered TOO_MANY_REQUESTS: Too many sign-ups.*20 sign-ups an hour/,
    );

    store.answer("stock.forProduct", () => {
      throw new FakeTrpcError("INTERNAL_SERVER_ERROR", "boom", 500);
    });
    expect(await cart(context())).toEqual({ ok: false, error: "stock.forProduct answered INTERNAL_SERVER_ERROR: boom" });
  });

  it("checkout: pays with the accepted card, and reuses its signed-in shopper for the next checkout", async () => {
    const shared = context();
    const cards: string[] = [];
    store.answer("checkout.place", (input) => {
      cards.push((input as { card: { number: string } }).card.number);
      return { status: "paid" };
    });
    expect(await checkout(shared)).toEqual({ ok: true });
    expect(await checkout(shared)).toEqual({ ok: true });
    expect(store.count("account.signUp")).toBe(1);
    expect(cards).toEqual(["4242 4242 4242 4242", "4242 4242 4242 4242"]);
    expect(shared.accounts.idleCount).toBe(1);
  });

  it("checkout: a declined card the store declines is a success, one it charges is a failure", async () => {
    const cards: string[] = [];
    const shared = context({ declineShare: 1 });
    store.answer("checkout.place", (input) => {
      cards.push((input as { card: { number: string } }).card.number);
      throw new FakeTrpcError("PAYMENT_REQUIRED", "Your card was declined.", 402);
    });
    expect(await checkout(shared)).toEqual({ ok: true });
    expect(cards).toEqual(["4000 0000 0000 0002"]);

    // The declined order left its line in the cart: the next checkout empties it first.
    store.answer("checkout.place", () => ({ status: "paid" }));
    const result = await checkout(shared);
    expect(store.count("cart.remove")).toBe(1);
    expect(result).toEqual({ ok: false, error: "checkout.place with the declined card ended paid (order paid)" });
  });

  it("checkout: an accepted card that is not paid fails; a lost session is not kept", async () => {
    const shared = context();
    store.answer("checkout.place", () => {
      throw new FakeTrpcError("INTERNAL_SERVER_ERROR", "order service down", 500);
    });
    const failed = await checkout(shared);
    expect(failed).toEqual({
      ok: false,
      error: "checkout.place with the accepted card ended failed (INTERNAL_SERVER_ERROR: order service down)",
    });
    expect(shared.accounts.idleCount).toBe(1);

    store.answer("checkout.place", () => {
      throw new FakeTrpcError("UNAUTHORIZED", "Sign in to check out.", 401);
    });
    expect((await checkout(shared)).ok).toBe(false);
    expect(shared.accounts.idleCount).toBe(0);
  });

  it("checkout: gives up when nothing viewed is in stock", async () => {
    store.answer("stock.forProduct", () => ({ status: "out_of_stock", available: 0, label: "Out of stock" }));
    const result = await checkout(context());
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^none of 3 products viewed was in stock/) as unknown });
    expect(store.count("checkout.place")).toBe(0);
  });
});

describe("buyable", () => {
  it("leaves out the products whose stock the demos and the e2e suite count on", () => {
    for (const slug of Object.values(fixtures)) expect(buyable.some((product) => product.slug === slug)).toBe(false);
    expect(buyable.length).toBe(products.length - Object.values(fixtures).length);
  });
});
