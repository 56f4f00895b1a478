import { untraced } from "@microshop/tracing/background";
import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseLifecycle, sqliteUrl } from "@microshop/service-runtime/sqlite";
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
  async start(env, logger) {
    const config = parseConfig("inventory", inventoryConfigSchema, env);
    const db = await openDb(sqliteUrl("inventory", config));
    if (config.SEED_ON_EMPTY) {
      const seeded = await seedIfEmpty(db);
      if (seeded > 0) logger.info({ products: seeded }, "seeded stock for an empty database");
    }
    const now = () => new Date();
    // Holds whose order never finished (a crashed checkout) go back on the shelf by themselves.
    // Not traced: a sweep every few seconds would bury the shop's requests on the map.
    const sweeper = setInterval(() => {
      untraced(() => expireDue(db, now())).then(
        (expired) => expired > 0 && logger.info({ expired }, "released expired reservations"),
        (error: unknown) => logger.error({ err: error }, "reservation sweep failed"),
      );
    }, config.RESERVATION_SWEEP_MS);
    sweeper.unref();
    return {
      createContext: () => Promise.resolve({ db, logger, now }),
      checkReady: databaseLifecycle(db).checkReady,
      close: async () => {
        clearInterval(sweeper);
        await db.$disconnect();
      },
    };
  },
});
