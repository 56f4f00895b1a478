import type { CartRouter } from "@microshop/cart-service/router";
import type { EmailRouter } from "@microshop/email-service/router";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { OrderRouter } from "@microshop/order-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import type { UserRouter } from "@microshop/user-service/router";
import { createServiceClient, type TRPCClient } from "@microshop/service-client";
import type { ClientLab } from "@microshop/service-client/fault-link";
import { createServiceResolver, type ServiceResolver } from "@microshop/service-client/resolver";
import { createCallTallies } from "@microshop/service-client/tallies";
import { startLabAgent, type AgentLogger } from "@microshop/service-runtime/lab-agent";
import type { Env } from "~/env";

/** Every call of the BFF is the storefront's: services answer it as such, edge faults name it so. */
const caller = "storefront";

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

const credentialsOf = (env: Env) => (env.SERVICE_SIGNING_KEY ? { caller, signingKey: env.SERVICE_SIGNING_KEY } : undefined);

/** `lab`: the faults for the BFF's calls and where they are counted (the lab agent's); none without. */
export function createServiceClients(
  env: Env,
  resolver: ServiceResolver = serviceResolverFor(env),
  lab?: ClientLab,
): ServiceClients {
  const routes = { resolver, caller, ...(lab ? { lab } : {}) };
  // Every call is signed as the storefront: services answer only the system's own processes.
  const signing = credentialsOf(env);
  const credentials = signing ? { credentials: signing } : {};
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

const consoleLogger: AgentLogger = {
  // Only the feed coming back is said at info; the storefront logs warnings and errors only.
  info: () => undefined,
  warn: (details, message) => console.warn(message, details),
};

/**
 * The clients of this server process, made once: with `LAB_FEED_URL`, one lab agent for the
 * process (started here, with the first request that needs a service) follows the feed into their
 * resolver, and its faults apply to their calls.
 */
export function processServiceClients(env: Env): ServiceClients {
  const resolver = serviceResolverFor(env);
  if (!env.LAB_FEED_URL) return createServiceClients(env, resolver);
  const tallies = createCallTallies();
  const signing = credentialsOf(env);
  const agent = startLabAgent({
    feedUrl: env.LAB_FEED_URL,
    instance: env.SERVICE_INSTANCE_ID ?? caller,
    resolver,
    tallies,
    logger: consoleLogger,
    ...(signing ? { credentials: signing } : {}),
  });
  return createServiceClients(env, resolver, { faults: agent.faults, tallies });
}
