import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { orderConfigSchema } from "./config";
import { openDb } from "./db";
import { createDownstream } from "./downstream";
import { startBackgroundLoop } from "@microshop/service-runtime/background";
import { serviceInstanceId } from "@microshop/service-runtime/leases";
import { drainOutbox, resumeStale } from "./recovery";
import { appRouter } from "./router/root";
import type { Context } from "./trpc";

export const orderService = defineService({
  name: "order",
  router: appRouter,
  defaultPort: services.order.port,
  async start({ env, logger, client }) {
    const config = parseConfig("order", orderConfigSchema, env);
    const db = await openDb(databaseUrl("order", config));
    const downstream = createDownstream(client, config);
    const context: Context = {
      db,
      logger,
      downstream,
      now: () => new Date(),
      kick: () => recovery.kick(),
      paymentAttempts: config.PAYMENT_ATTEMPTS,
      checkoutLimit: { perAccount: config.CHECKOUT_LIMIT_PER_ACCOUNT, windowMs: config.CHECKOUT_LIMIT_WINDOW_MS },
      leaseOwner: serviceInstanceId(env),
      sagaLeaseMs: config.SAGA_STALE_MS,
    };
    // One recovery pass at a time: drain the email outbox, then resume sagas whose lease ran out.
    const recovery = startBackgroundLoop({
      name: "recovery pass",
      everyMs: config.RECOVERY_POLL_MS,
      logger,
      run: async () => {
        await drainOutbox(context);
        await resumeStale(context);
      },
    });
    return {
      createContext: () => Promise.resolve(context),
      checkReady: databaseLifecycle(db).checkReady,
      close: async () => {
        await recovery.stop();
        await db.$disconnect();
      },
    };
  },
});
