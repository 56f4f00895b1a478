import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { userConfigSchema } from "./config";
import { openDb } from "./db";
import { appRouter } from "./router/root";

export const userService = defineService({
  name: "user",
  router: appRouter,
  defaultPort: services.user.port,
  async start({ env, logger }) {
    const config = parseConfig("user", userConfigSchema, env);
    const db = await openDb(databaseUrl("user", config));
    return {
      createContext: () => Promise.resolve({ db, logger, now: () => new Date(), sessionTtlHours: config.SESSION_TTL_HOURS }),
      ...databaseLifecycle(db),
    };
  },
});
