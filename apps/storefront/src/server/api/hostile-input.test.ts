import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "./root";
import { fakeService, fakeServiceClients, useFakeService } from "./testing/fakes";
import { createTRPCContext } from "./trpc";

// Every downstream service is a fake that accepts anything and counts the changes it was asked to
// make: a hostile input the BFF refuses must never have reached one.
const writes: string[] = [];
const write = (name: string) => () => {
  writes.push(name);
  return { ok: true as const };
};
const user = { id: "u1", email: "ada@example.com", name: "Ada" };
const session = { token: "s".repeat(32), expiresAt: new Date(Date.now() + 3_600_000) };
const cart = {
  lines: [{ productId: "prod_kettle", quantity: 1 }],
  itemCount: 1,
  subtotalMinor: 100,
  currency: "USD",
  degraded: false,
};
const order = { id: "o1", status: "paid", failure: null };
const p = fakeService.procedure;
const fakes = {
  product: fakeService.router({
    catalog: fakeService.router({
      categories: p.query(() => []),
      category: p.query(() => ({ slug: "kitchen", name: "Kitchen" })),
      search: p.query(() => ({ items: [], total: 0, page: 1, pageSize: 12 })),
      bySlug: p.query(() => ({ slug: "kettle" })),
      featured: p.query(() => []),
    }),
  }),
  inventory: fakeService.router({ stock: fakeService.router({ levels: p.query(() => []) }) }),
  cart: fakeService.router({
    cart: fakeService.router({
      get: p.query(() => cart),
      addItem: p.mutation(write("cart.addItem")),
      setQuantity: p.mutation(write("cart.setQuantity")),
      removeItem: p.mutation(write("cart.removeItem")),
      merge: p.mutation(write("cart.merge")),
      clear: p.mutation(write("cart.clear")),
    }),
  }),
  user: fakeService.router({
    sessions: fakeService.router({ validate: p.query(() => ({ user })) }),
    auth: fakeService.router({
      signUp: p.mutation(() => (writes.push("auth.signUp"), { user, session })),
      signIn: p.mutation(() => (writes.push("auth.signIn"), { user, session })),
      signOut: p.mutation(write("auth.signOut")),
    }),
  }),
  order: fakeService.router({
    orders: fakeService.router({
      place: p.mutation(() => (writes.push("orders.place"), order)),
      list: p.query(() => []),
      get: p.query(() => order),
      byCheckoutKey: p.query(() => order),
    }),
  }),
  email: fakeService.router({
    emails: fakeService.router({ send: p.mutation(write("emails.send")) }),
    inbox: fakeService.router({ list: p.query(() => []), get: p.query(() => ({ id: "m1" })) }),
  }),
};

// Not a React hook, whatever its name says; an alias keeps the hooks lint rule out of this loop.
const standIn = useFakeService;
const stops: Array<() => void> = [];
let bff: ReturnType<typeof caller>;
beforeAll(() => {
  for (const [name, router] of Object.entries(fakes)) stops.push(standIn(name as keyof typeof fakes, router));
  // Clients made after the fakes are registered reach them in-process.
  bff = caller();
});
afterAll(() => {
  for (const stop of stops) stop();
});

/** The BFF as an HTTP call would see it: a signed-in shopper's cookies, and headers to set cookies on. */
function caller() {
  const headers = new Headers({ cookie: `ms_session=${session.token}; ms_visitor=v_12345678` });
  return createCaller(createTRPCContext({ headers, resHeaders: new Headers(), services: fakeServiceClients() }));
}

type Call = (input: unknown) => Promise<unknown>;
const address = { name: "Ada", line1: "1 Road", city: "London", postalCode: "N1", country: "GB" };
const card = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" };
const procedures: Array<[string, Call, Record<string, unknown>]> = [
  ["catalog.category", (input) => bff.catalog.category(input as never), { slug: "kitchen" }],
  ["catalog.search", (input) => bff.catalog.search(input as never), { q: "kettle", page: 1, pageSize: 12, sort: "relevance" }],
  ["catalog.bySlug", (input) => bff.catalog.bySlug(input as never), { slug: "kettle" }],
  ["catalog.featured", (input) => bff.catalog.featured(input as never), { limit: 8 }],
  ["stock.forProduct", (input) => bff.stock.forProduct(input as never), { productId: "prod_kettle" }],
  ["stock.forProducts", (input) => bff.stock.forProducts(input as never), { productIds: ["prod_kettle"] }],
  ["cart.add", (input) => bff.cart.add(input as never), { productId: "prod_kettle", quantity: 1 }],
  ["cart.setQuantity", (input) => bff.cart.setQuantity(input as never), { productId: "prod_kettle", quantity: 1 }],
  ["cart.remove", (input) => bff.cart.remove(input as never), { productId: "prod_kettle" }],
  [
    "account.signUp",
    (input) => bff.account.signUp(input as never),
    { name: "Ada", email: "ada@example.com", password: "correct horse battery" },
  ],
  [
    "account.signIn",
    (input) => bff.account.signIn(input as never),
    { email: "ada@example.com", password: "correct horse battery" },
  ],
  [
    "checkout.place",
    (input) => bff.checkout.place(input as never),
    { checkoutKey: "checkout-key", shippingAddress: address, card },
  ],
  ["checkout.byKey", (input) => bff.checkout.byKey(input as never), { checkoutKey: "checkout-key" }],
  ["checkout.complete", (input) => bff.checkout.complete(input as never), { checkoutKey: "checkout-key" }],
  ["orders.get", (input) => bff.orders.get(input as never), { orderId: "o1" }],
  ["inbox.get", (input) => bff.inbox.get(input as never), { id: "m1" }],
];

describe("hostile input never breaks the BFF", () => {
  it.each(procedures)(
    "%s answers a typed 4xx or a result, and a refusal changes nothing downstream",
    async (_name, call, shape) => {
      await expectOnlyCallerFaults(
        async (input) => {
          const before = writes.length;
          try {
            return await call(input);
          } catch (error) {
            // Refused: no service was asked to change anything.
            expect(writes.slice(before).filter((name) => name !== "emails.send")).toEqual([]);
            throw error;
          }
        },
        hostileInput(shape),
        100,
      );
    },
  );
});
