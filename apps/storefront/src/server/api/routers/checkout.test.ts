// The BFF's half of "a key lives until the shopper has seen a definite outcome": what `place`
// answers must tell a lost answer (keep the key, follow the order) from a definite one, and the
// page must be able to follow the order by its key and finish it.
import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCaller } from "../root";
import { closedPort, fakeService, fakeServiceClients, useFakeService } from "../testing/fakes";
import { createTRPCContext } from "../trpc";

const p = fakeService.procedure;
// Not a React hook, whatever its name says: it registers a fake service in-process.
const standIn = useFakeService;
const user = { id: "u1", email: "ada@example.com", name: "Ada" };
const sessionToken = "s".repeat(32);
const cartLines = {
  lines: [{ productId: "prod_mug", quantity: 1 }],
  itemCount: 1,
  subtotalMinor: 1_800,
  currency: "USD",
  degraded: false,
};
const address = { name: "Ada", line1: "1 Road", city: "London", postalCode: "N1", country: "GB" };
const card = { number: "4000 0000 0000 6975", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" };

function orderView(checkoutKey: string, status: string, failure: { code: string; message: string } | null = null) {
  return { id: `order-${checkoutKey}`, checkoutKey, status, failure, totalMinor: 1_800, currency: "USD", lines: [] };
}

/** Orders by checkout key, as the fake order service holds them; `place` answers the key's order. */
let orders = new Map<string, ReturnType<typeof orderView>>();
let cartClears = 0;
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  orders = new Map();
  cartClears = 0;
});

function standInServices(options: { order: boolean }) {
  stops.push(
    standIn("user", fakeService.router({ sessions: fakeService.router({ validate: p.query(() => ({ user })) }) })),
    standIn(
      "cart",
      fakeService.router({
        cart: fakeService.router({
          get: p.query(() => cartLines),
          clear: p.mutation(() => {
            cartClears += 1;
            return { ok: true };
          }),
        }),
      }),
    ),
  );
  if (!options.order) return;
  const byKey = (checkoutKey: string) => {
    const order = orders.get(checkoutKey);
    if (!order) throw new TRPCError({ code: "NOT_FOUND", message: "No order was placed with this checkout key" });
    return order;
  };
  const keyed = z.object({ checkoutKey: z.string() });
  stops.push(
    standIn(
      "order",
      fakeService.router({
        orders: fakeService.router({
          place: p.input(keyed.loose()).mutation(({ input }) => byKey(input.checkoutKey)),
          byCheckoutKey: p.input(keyed.loose()).query(({ input }) => byKey(input.checkoutKey)),
        }),
      }),
    ),
  );
}

/** The BFF as a signed-in shopper's HTTP call reaches it; clients made after the fakes reach them. */
function bff(vars: Record<string, string> = {}) {
  const headers = new Headers({ cookie: `ms_session=${sessionToken}` });
  return createCaller(createTRPCContext({ headers, resHeaders: new Headers(), services: fakeServiceClients(vars) }));
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

const place = (checkoutKey: string) => ({ checkoutKey, shippingAddress: address, card });

describe("checkout.place", () => {
  it("says a lost answer from the order service leaves the payment unconfirmed, with an outage code, never blaming the account", async () => {
    standInServices({ order: false });
    const caller = bff({ ORDER_SERVICE_URLS: `http://127.0.0.1:${await closedPort()}/trpc` });
    const error = await refusal(caller.checkout.place(place("lost-answer-key")));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toBe(
      "We couldn't confirm your payment yet. It may still go through: we are checking it, and you will never be charged twice for this order.",
    );
    expect(cartClears).toBe(0);
  });

  it.each([
    [
      "inventory_unavailable",
      "We couldn't check stock just now, so nothing was charged. Please try again in a moment.",
      "CONFLICT",
    ],
    ["interrupted", "Checkout was interrupted before payment, so nothing was charged. Please try again.", "CONFLICT"],
    ["payment_declined", "Your card was declined.", "PAYMENT_REQUIRED"],
  ])("answers an order that failed with %s as a definite refusal, not an outage", async (code, message, expected) => {
    standInServices({ order: true });
    orders.set("failed-key-01", orderView("failed-key-01", "failed", { code, message }));
    const error = await refusal(bff().checkout.place(place("failed-key-01")));
    expect([error.code, error.message]).toEqual([expected, message]);
  });

  it("clears the cart of a paid order, and keeps it while the order is still settling", async () => {
    standInServices({ order: true });
    orders.set("settling-key", orderView("settling-key", "charging"));
    orders.set("paid-key-001", orderView("paid-key-001", "paid"));
    const caller = bff();
    expect(await caller.checkout.place(place("settling-key"))).toMatchObject({ status: "charging" });
    expect(cartClears).toBe(0);
    expect(await caller.checkout.place(place("paid-key-001"))).toMatchObject({ status: "paid" });
    expect(cartClears).toBe(1);
  });
});

/**
 * Calls held until the others have been made too: made one after the other, the first would wait
 * for a call that only starts once it answers, and give up after the budget (a budget for a
 * deadlock, not a measure of time).
 */
function meeting(parties: readonly string[]) {
  const arrived = new Set<string>();
  return async (party: string): Promise<void> => {
    arrived.add(party);
    const deadline = Date.now() + 30_000;
    while (!parties.every((other) => arrived.has(other))) {
      if (Date.now() > deadline) throw new Error(`${party} waited for ${parties.join(" and ")} to be asked at once`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
}

describe("checkout.place reads the cart while the session is checked", () => {
  /** User and cart fakes whose answers wait for each other's call; the order service records what it was asked to place. */
  function standInMeeting(session: "good" | "ended") {
    const meet = meeting(["session", "cart"]);
    const placed: unknown[] = [];
    stops.push(
      standIn(
        "user",
        fakeService.router({
          sessions: fakeService.router({
            validate: p.query(async () => {
              await meet("session");
              if (session === "ended") throw new TRPCError({ code: "UNAUTHORIZED", message: "This session has ended" });
              return { user };
            }),
          }),
        }),
      ),
      standIn(
        "cart",
        fakeService.router({
          cart: fakeService.router({
            get: p.query(async () => {
              await meet("cart");
              return cartLines;
            }),
            clear: p.mutation(() => {
              cartClears += 1;
              return { ok: true };
            }),
          }),
        }),
      ),
      standIn(
        "order",
        fakeService.router({
          orders: fakeService.router({
            place: p.input(z.object({ checkoutKey: z.string(), items: z.array(z.unknown()) }).loose()).mutation(({ input }) => {
              placed.push(input.items);
              return orderView(input.checkoutKey, "paid");
            }),
          }),
        }),
      ),
    );
    return placed;
  }

  it("asks for both at once, then places the cart's lines", async () => {
    const placed = standInMeeting("good");
    expect(await bff().checkout.place(place("meeting-key-01"))).toMatchObject({ status: "paid" });
    expect(placed).toEqual([[{ productId: "prod_mug", quantity: 1 }]]);
    expect(cartClears).toBe(1);
  });

  it("refuses a session that ended and drops the cart read beside it: nothing placed", async () => {
    const placed = standInMeeting("ended");
    const error = await refusal(bff().checkout.place(place("meeting-key-02")));
    expect([error.code, error.message]).toEqual(["UNAUTHORIZED", "Please sign in to continue."]);
    expect(placed).toEqual([]);
    expect(cartClears).toBe(0);
  });
});

describe("checkout.byKey and checkout.complete", () => {
  it("answer the key's order as it stands, or null for a key that made none", async () => {
    standInServices({ order: true });
    orders.set("settling-key", orderView("settling-key", "charging"));
    const caller = bff();
    expect(await caller.checkout.byKey({ checkoutKey: "settling-key" })).toMatchObject({
      id: "order-settling-key",
      status: "charging",
    });
    expect(await caller.checkout.byKey({ checkoutKey: "never-used-key" })).toBeNull();
    expect(await caller.checkout.complete({ checkoutKey: "never-used-key" })).toBeNull();
    expect(await caller.checkout.complete({ checkoutKey: "settling-key" })).toMatchObject({ status: "charging" });
    expect(cartClears).toBe(0);
  });

  it("complete clears the cart once the followed order is paid", async () => {
    standInServices({ order: true });
    orders.set("paid-key-001", orderView("paid-key-001", "paid"));
    expect(await bff().checkout.complete({ checkoutKey: "paid-key-001" })).toMatchObject({ status: "paid" });
    expect(cartClears).toBe(1);
  });

  it("report an order service that does not answer as an outage, so the page keeps following", async () => {
    standInServices({ order: false });
    const caller = bff({ ORDER_SERVICE_URLS: `http://127.0.0.1:${await closedPort()}/trpc` });
    expect((await refusal(caller.checkout.byKey({ checkoutKey: "settling-key" }))).code).toBe("SERVICE_UNAVAILABLE");
  });
});
