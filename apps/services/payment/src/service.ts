import { services } from "@microshop/topology";
import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseLifecycle, sqliteUrl } from "@microshop/service-runtime/sqlite";
import { settleInterrupted } from "./charge";
import { paymentConfigSchema } from "./config";
import { openDb } from "./db";
import { appRouter } from "./router/root";

export interface PaymentServiceOptions {
  /** The clock card expiry is checked against. Default: the system clock. */
  readonly now?: () => Date;
}

export function createPaymentService(options: PaymentServiceOptions = {}) {
  const now = options.now ?? (() => new Date());
  return defineService({
    name: "payment",
    router: appRouter,
    defaultPort: services.payment.port,
    async start(env, logger) {
      const config = parseConfig("payment", paymentConfigSchema, env);
      const db = await openDb(sqliteUrl("payment", config));
      const settled = await settleInterrupted(db);
      if (settled > 0) logger.warn({ payments: settled }, "settled charges interrupted by the last shutdown");
      const settings = { latencyMs: config.PAYMENT_LATENCY_MS, slowCardDelayMs: config.PAYMENT_SLOW_CARD_DELAY_MS };
      return {
        createContext: () => Promise.resolve({ db, logger, settings, now }),
        ...databaseLifecycle(db),
      };
    },
  });
}

export const paymentService = createPaymentService();
