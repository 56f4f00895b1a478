import type { CartRouter } from "@microshop/cart-service/router";
import type { EmailRouter } from "@microshop/email-service/router";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { OrderRouter } from "@microshop/order-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import type { UserRouter } from "@microshop/user-service/router";
import { createServiceClient, type TRPCClient } from "@microshop/service-client";
import { createServiceResolver, type ServiceResolver } from "@microshop/service-client/resolver";
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

/** Where the BFF's calls go: the addresses `env` validated (`<NAME>_SERVICE_URLS`, else the local defaults). */
export function serviceResolverFor(env: Env): ServiceResolver {
  return createServiceResolver({
    PRODUCT_SERVICE_URLS: env.PRODUCT_SERVICE_URLS,
    INVENTORY_SERVICE_URLS: env.INVENTORY_SERVICE_URLS,
    CART_SERVICE_URLS: env.CART_SERVICE_URLS,
    ORDER_SERVICE_URLS: env.ORDER_SERVICE_URLS,
    USER_SERVICE_URLS: env.USER_SERVICE_URLS,
    EMAIL_SERVICE_URLS: env.EMAIL_SERVICE_URLS,
  });
}

export function createServiceClients(env: Env, resolver: ServiceResolver = serviceResolverFor(env)): ServiceClients {
  const routes = { resolver };
  // Every call is signed as the storefront: services answer only the system's own processes.
  const credentials = env.SERVICE_SIGNING_KEY
    ? { credentials: { caller: "storefront", signingKey: env.SERVICE_SIGNING_KEY } }
    : {};
  const account = { ...routes, timeoutMs: env.ACCOUNT_TIMEOUT_MS, ...credentials };
  return {
    product: createServiceClient<ProductRouter>("product", {
      ...routes,
      timeoutMs: env.CATALOG_TIMEOUT_MS,
      ...credentials,
    }),
    inventory: createServiceClient<InventoryRouter>("inventory", {
      ...routes,
      timeoutMs: env.STOCK_TIMEOUT_MS,
      ...credentials,
    }),
    cart: createServiceClient<CartRouter>("cart", account),
    order: createServiceClient<OrderRouter>("order", {
      ...routes,
      timeoutMs: env.CHECKOUT_TIMEOUT_MS,
      ...credentials,
    }),
    user: createServiceClient<UserRouter>("user", account),
    email: createServiceClient<EmailRouter>("email", account),
  };
}
