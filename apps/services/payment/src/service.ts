import { services } from "@microshop/topology";
import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { startBackgroundLoop } from "@microshop/service-runtime/background";
import { serviceInstanceId } from "@microshop/service-runtime/leases";
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
    async start({ env, logger }) {
      const config = parseConfig("payment", paymentConfigSchema, env);
      const db = await openDb(databaseUrl("payment", config));
      // At start-up and then now and again: a replica that stopped mid-charge leaves charges whose lease runs out later.
      const settling = startBackgroundLoop({
        name: "settling interrupted charges",
        everyMs: config.PAYMENT_SETTLE_POLL_MS,
        logger,
        run: async () => {
          const settled = await settleInterrupted(db, new Date());
          if (settled > 0) logger.warn({ payments: settled }, "settled charges a stopped process left processing");
        },
      });
      const settings = { latencyMs: config.PAYMENT_LATENCY_MS, slowCardDelayMs: config.PAYMENT_SLOW_CARD_DELAY_MS };
      const leaseOwner = serviceInstanceId(env);
      const lifecycle = databaseLifecycle(db);
      return {
        createContext: () => Promise.resolve({ db, logger, settings, now, leaseOwner }),
        checkReady: lifecycle.checkReady,
        close: async () => {
          await settling.stop();
          await lifecycle.close();
        },
      };
    },
  });
}

export const paymentService = createPaymentService();
