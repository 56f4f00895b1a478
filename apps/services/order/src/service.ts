import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseLifecycle, sqliteUrl } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { orderConfigSchema } from "./config";
import { openDb } from "./db";
import { createDownstream } from "./downstream";
import { untraced } from "@microshop/tracing/background";
import { drainOutbox, resumeStale } from "./recovery";
import { appRouter } from "./router/root";
import type { Context } from "./trpc";

export const orderService = defineService({
  name: "order",
  router: appRouter,
  defaultPort: services.order.port,
  async start(env, logger) {
    const config = parseConfig("order", orderConfigSchema, env);
    const db = await openDb(sqliteUrl("order", config));
    const downstream = createDownstream(env, config);
    let running: Promise<void> | undefined;
    let again = false;
    // One recovery pass at a time: drain the email outbox, then resume sagas that stopped midway.
    const recover = (): void => {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        await drainOutbox(context);
        await resumeStale(context, config.SAGA_STALE_MS);
      })()
        .catch((error: unknown) => logger.error({ err: error }, "recovery pass failed"))
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            recover();
          }
        });
    };
    const context: Context = { db, logger, downstream, now: () => new Date(), kick: recover, paymentAttempts: config.PAYMENT_ATTEMPTS, checkoutLimit: { perAccount: config.CHECKOUT_LIMIT_PER_ACCOUNT, windowMs: config.CHECKOUT_LIMIT_WINDOW_MS } };
    // Polls are not traced (an idle poll every second would bury the shop's requests); what they resume is.
    const poller = setInterval(() => untraced(recover), config.RECOVERY_POLL_MS);
    poller.unref();
    untraced(recover);
    return {
      createContext: () => Promise.resolve(context),
      checkReady: databaseLifecycle(db).checkReady,
      close: async () => {
        clearInterval(poller);
        await running;
        await db.$disconnect();
      },
    };
  },
});
