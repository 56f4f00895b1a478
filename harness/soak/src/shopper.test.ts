import { seededRandom } from "@microshop/shopper/random";
import { startFakeStorefront } from "@microshop/shopper/testing";
import { describe, expect, it } from "vitest";
import { RequestLog } from "./request-log";
import { runJourney, type CheckoutAttempt } from "./shopper";

describe("the soak's shopper", () => {
  it("shops through the BFF as a browser does, to a checkout with one key", async () => {
    const store = await startFakeStorefront();
    try {
      const log = new RequestLog();
      const attempts: CheckoutAttempt[] = [];
      const random = seededRandom(42);
      // A visit buys with a probability: a few visits are enough for one checkout.
      for (let visit = 0; visit < 20 && attempts.length === 0; visit++) {
        await runJourney({
          baseUrl: store.url,
          timeoutMs: 10_000,
          log,
          random,
          onCheckoutStart: () => {},
          onCheckout: (attempt) => attempts.push(attempt),
        });
      }
      expect(attempts).toHaveLength(1);
      expect(["paid", "declined"]).toContain(attempts[0]?.outcome);
      expect(attempts[0]?.checkoutKey).toMatch(/^soak_/);
      expect(log.inFlight).toBe(0);
      expect(log.records.length).toBe(store.requests.length);
      expect(log.records.every((record) => record.outcome === "ok" || record.code === "PAYMENT_REQUIRED")).toBe(true);
      expect(store.count("account.signUp")).toBe(1);
    } finally {
      await store.close();
    }
  });
});
