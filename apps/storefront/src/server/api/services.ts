import type { CartRouter } from "@microshop/cart-service/router";
import type { EmailRouter } from "@microshop/email-service/router";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { OrderRouter } from "@microshop/order-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import type { UserRouter } from "@microshop/user-service/router";
import { createServiceClient, type TRPCClient } from "@microshop/service-client";
import type { Env } from "~/env";

/**
 * The downstream services the BFF talks to, one typed client each. Keep it equal to the storefront's
 * entry in `outsideCallers` of `@microshop/topology`: that list decides which services answer it.
 */
export interface ServiceClients {
  readonly product: TRPCClient<ProductRouter>;
  readonly inventory: TRPCClient<InventoryRouter>;
  readonly cart: TRPCClient<CartRouter>;
  readonly order: TRPCClient<OrderRouter>;
  readonly user: TRPCClient<UserRouter>;
  readonly email: TRPCClient<EmailRouter>;
}

export function createServiceClients(env: Env): ServiceClients {
  // The client factory reads `<NAME>_SERVICE_URLS`; pass only what was validated.
  const addresses = {
    NODE_ENV: env.NODE_ENV,
    PRODUCT_SERVICE_URLS: env.PRODUCT_SERVICE_URLS,
    INVENTORY_SERVICE_URLS: env.INVENTORY_SERVICE_URLS,
    CART_SERVICE_URLS: env.CART_SERVICE_URLS,
    ORDER_SERVICE_URLS: env.ORDER_SERVICE_URLS,
    USER_SERVICE_URLS: env.USER_SERVICE_URLS,
    EMAIL_SERVICE_URLS: env.EMAIL_SERVICE_URLS,
  };
  // Every call is signed as the storefront: services answer only the system's own processes.
  const credentials = env.SERVICE_SIGNING_KEY
    ? { credentials: { caller: "storefront", signingKey: env.SERVICE_SIGNING_KEY } }
    : {};
  const account = { env: addresses, timeoutMs: env.ACCOUNT_TIMEOUT_MS, ...credentials };
  return {
    product: createServiceClient<ProductRouter>("product", {
      env: addresses,
      timeoutMs: env.CATALOG_TIMEOUT_MS,
      ...credentials,
    }),
    inventory: createServiceClient<InventoryRouter>("inventory", {
      env: addresses,
      timeoutMs: env.STOCK_TIMEOUT_MS,
      ...credentials,
    }),
    cart: createServiceClient<CartRouter>("cart", account),
    order: createServiceClient<OrderRouter>("order", {
      env: addresses,
      timeoutMs: env.CHECKOUT_TIMEOUT_MS,
      ...credentials,
    }),
    user: createServiceClient<UserRouter>("user", account),
    email: createServiceClient<EmailRouter>("email", account),
  };
}
