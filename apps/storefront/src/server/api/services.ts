import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import {
  createServiceClient,
  type TRPCClient,
} from "@microshop/service-client";
import type { Env } from "~/env";

/** The downstream services the BFF talks to, one typed client each. */
export interface ServiceClients {
  readonly product: TRPCClient<ProductRouter>;
  readonly inventory: TRPCClient<InventoryRouter>;
}

export function createServiceClients(env: Env): ServiceClients {
  // The client factory reads `<NAME>_SERVICE_URLS`; pass only what was validated.
  const addresses = {
    NODE_ENV: env.NODE_ENV,
    PRODUCT_SERVICE_URLS: env.PRODUCT_SERVICE_URLS,
    INVENTORY_SERVICE_URLS: env.INVENTORY_SERVICE_URLS,
  };
  return {
    product: createServiceClient<ProductRouter>("product", {
      env: addresses,
      timeoutMs: env.CATALOG_TIMEOUT_MS,
    }),
    inventory: createServiceClient<InventoryRouter>("inventory", {
      env: addresses,
      timeoutMs: env.STOCK_TIMEOUT_MS,
    }),
  };
}
