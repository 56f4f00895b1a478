import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { productConfigSchema } from "./config";
import { openDb } from "./db";
import { appRouter } from "./router/root";
import { seedIfEmpty } from "./seed";

export const productService = defineService({
  name: "product",
  router: appRouter,
  defaultPort: services.product.port,
  async start({ env, logger }) {
    const config = parseConfig("product", productConfigSchema, env);
    const db = await openDb(databaseUrl("product", config));
    if (config.SEED_ON_EMPTY) {
      const seeded = await seedIfEmpty(db);
      if (seeded > 0) logger.info({ products: seeded }, "seeded an empty catalog");
    }
    return {
      createContext: () => Promise.resolve({ db, logger }),
      ...databaseLifecycle(db),
    };
  },
});
