/**
 * Checkouts placed with the order service as the storefront places them (signed as the storefront,
 * a session from the user service, a test card that pays), on products restocked for the run, so
 * that a benchmark can place thousands without running out of stock or of accounts. The saga runs
 * whole inside `orders.place`: user, product, inventory, payment, email, four databases.
 */
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { OrderRouter } from "@microshop/order-service/router";
import type { UserRouter } from "@microshop/user-service/router";
import { products } from "@microshop/seed-data/catalog";
import { credentialsOf } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { serviceUrlsEnvName } from "@microshop/topology";
import type { RunningStack } from "./running-stack";

/** Start the stack with this: a few accounts place every checkout, so the per-account limit is lifted. */
export const checkoutBenchEnv = { CHECKOUT_LIMIT_PER_ACCOUNT: "10000" } as const;

export interface Checkouts {
  /** Places one paid checkout as shopper `worker` (0 to `shoppers - 1`); rejects when it is not paid. */
  place(worker: number): Promise<void>;
}

export async function prepareCheckouts(stack: RunningStack, label: string, shoppers: number): Promise<Checkouts> {
  const resolverFor = (name: "user" | "order" | "inventory") =>
    createServiceResolver({ [serviceUrlsEnvName(name)]: stack.serviceUrl(name) });
  // Signed as the storefront, whose calls these stand in for: the services serve it and no test identity.
  const asStorefront = credentialsOf(stack.serviceTokenSecret, "storefront");
  const users = createServiceClient<UserRouter>("user", {
    resolver: resolverFor("user"),
    timeoutMs: 30_000,
    credentials: asStorefront,
  });
  const orders = createServiceClient<OrderRouter>("order", {
    resolver: resolverFor("order"),
    timeoutMs: 30_000,
    credentials: asStorefront,
  });
  const stocked = products.slice(0, 12);
  // Restocking is the operator's alone (topology's narrowedProcedures): the bench holds the root secret.
  const operator = createServiceClient<InventoryRouter>("inventory", {
    resolver: resolverFor("inventory"),
    timeoutMs: 30_000,
    credentials: credentialsOf(stack.serviceTokenSecret, "operator"),
  });
  for (const product of stocked) await operator.stock.restock.mutate({ productId: product.id, quantity: 10_000 });
  const accounts = await Promise.all(
    Array.from({ length: shoppers }, (_, i) =>
      users.auth.signUp.mutate({
        email: `bench-${label}-${i}-${Date.now()}@example.com`,
        password: "correct horse battery",
        name: "Bench",
      }),
    ),
  );
  let placed = 0;
  return {
    async place(worker) {
      placed += 1;
      const account = accounts[worker % accounts.length]!;
      const order = await orders.orders.place.mutate({
        checkoutKey: `bench-${label}-${worker}-${placed}-${Date.now()}`,
        sessionToken: account.session.token,
        shippingAddress: {
          name: "Ada Lovelace",
          line1: "12 St James's Square",
          city: "London",
          postalCode: "SW1Y 4JH",
          country: "GB",
        },
        items: [{ productId: stocked[placed % stocked.length]!.id, quantity: 1 }],
        card: { number: "4242424242424242", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada Lovelace" },
      });
      if (order.status !== "paid")
        throw new Error(`checkout ended ${order.status}: ${order.failure?.message ?? "not failed, not paid yet"}`);
    },
  };
}
