import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import type { UserRouter } from "@microshop/user-service/router";
import { cartConfigSchema } from "./config";
import { openDb } from "./db";
import { appRouter } from "./router/root";

export const cartService = defineService({
  name: "cart",
  router: appRouter,
  defaultPort: services.cart.port,
  async start({ env, logger, client }) {
    const config = parseConfig("cart", cartConfigSchema, env);
    const db = await openDb(databaseUrl("cart", config));
    const timeoutMs = config.DOWNSTREAM_TIMEOUT_MS;
    const product = client<ProductRouter>("product", { timeoutMs });
    const inventory = client<InventoryRouter>("inventory", { timeoutMs });
    const users = client<UserRouter>("user", { timeoutMs });
    return {
      createContext: () => Promise.resolve({ db, logger, product, inventory, users }),
      ...databaseLifecycle(db),
    };
  },
});
