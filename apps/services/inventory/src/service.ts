import { startBackgroundLoop } from "@microshop/service-runtime/background";
import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { inventoryConfigSchema } from "./config";
import { openDb } from "./db";
import { expireDue } from "./reservations";
import { appRouter } from "./router/root";
import { seedIfEmpty } from "./seed";

export const inventoryService = defineService({
  name: "inventory",
  router: appRouter,
  defaultPort: services.inventory.port,
  async start({ env, logger }) {
    const config = parseConfig("inventory", inventoryConfigSchema, env);
    const db = await openDb(databaseUrl("inventory", config));
    if (config.SEED_ON_EMPTY) {
      const seeded = await seedIfEmpty(db);
      if (seeded > 0) logger.info({ products: seeded }, "seeded stock for an empty database");
    }
    const now = () => new Date();
    // Holds whose order never finished (a crashed checkout) go back on the shelf by themselves. Replicas
    // may sweep at once: each hold is re-checked under the write lock, so it is released only once.
    const sweeper = startBackgroundLoop({
      name: "reservation sweep",
      everyMs: config.RESERVATION_SWEEP_MS,
      logger,
      run: async () => {
        const expired = await expireDue(db, now());
        if (expired > 0) logger.info({ expired }, "released expired reservations");
      },
    });
    return {
      createContext: () => Promise.resolve({ db, logger, now }),
      checkReady: databaseLifecycle(db).checkReady,
      close: async () => {
        await sweeper.stop();
        await db.$disconnect();
      },
    };
  },
});
