import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BffClient } from "./bff-client";
import { seededRandom } from "./random";
import { checkoutOutcome, placeOrder, signUp } from "./steps";
import { FakeTrpcError, startFakeStorefront, type FakeStorefront } from "./testing/fake-storefront";

let store: FakeStorefront;
beforeEach(async () => {
  store = await startFakeStorefront();
});
afterEach(() => store.close());

async function signedInWithCart(): Promise<BffClient> {
  const shopper = new BffClient({ baseUrl: store.url, clientAddress: "10.0.0.9", timeoutMs: 10_000 });
  await signUp(shopper, { name: "A", email: "a@example.com" });
  await shopper.mutate("cart.add", { productId: "prod_a", quantity: 1 });
  return shopper;
}

describe("placeOrder", () => {
  it("sends a checkout with no definite answer again, with the same key, until it has one", async () => {
    const keys: string[] = [];
    store.answer("checkout.place", (input) => {
      keys.push((input as { checkoutKey: string }).checkoutKey);
      if (keys.length === 1) throw new FakeTrpcError("SERVICE_UNAVAILABLE", "order service away", 503);
      return { status: "paid" };
    });
    const answer = await placeOrder(await signedInWithCart(), {
      checkoutKey: "key_12345678",
      card: "success",
      holderName: "A",
      random: seededRandom(1),
      followMs: 60_000,
    });
    expect(checkoutOutcome(answer)).toBe("paid");
    expect(keys).toEqual(["key_12345678", "key_12345678"]);
  });

  it("stops following when its signal aborts, and says what it last heard", async () => {
    store.answer("checkout.place", () => {
      throw new FakeTrpcError("SERVICE_UNAVAILABLE", "order service away", 503);
    });
    const leaving = new AbortController();
    const shopper = await signedInWithCart();
    const answer = placeOrder(shopper, {
      checkoutKey: "key_12345678",
      card: "success",
      holderName: "A",
      random: seededRandom(1),
      followMs: 600_000,
      signal: leaving.signal,
    });
    leaving.abort();
    expect(checkoutOutcome(await answer)).toBe("failed");
    expect(store.count("checkout.place")).toBe(1);
  });
});
