import { createServiceClient } from "@microshop/service-client";
import { parseConfig } from "@microshop/service-runtime/config";
import type { UserRouter } from "@microshop/user-service/router";
import { defineService } from "@microshop/service-runtime/service";
import { databaseLifecycle, sqliteUrl } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { emailConfigSchema } from "./config";
import { openDb } from "./db";
import { untraced } from "@microshop/tracing/background";
import { processOutbox } from "./outbox";
import { appRouter } from "./router/root";
import { createTransportFor } from "./transport";

export const emailService = defineService({
  name: "email",
  router: appRouter,
  defaultPort: services.email.port,
  async start(env, logger) {
    const config = parseConfig("email", emailConfigSchema, env);
    const db = await openDb(sqliteUrl("email", config));
    const transport = createTransportFor(config.SMTP_URL, config.EMAIL_FROM);
    const users = createServiceClient<UserRouter>("user", { env, timeoutMs: 2_000 });
    const now = () => new Date();
    let running: Promise<void> | undefined;
    let again = false;
    // One pass at a time; a kick during a pass asks for one more right after it.
    const drain = (): void => {
      if (running) {
        again = true;
        return;
      }
      running = processOutbox(db, transport, now(), { maxAttempts: config.OUTBOX_MAX_ATTEMPTS, leaseMs: config.OUTBOX_LEASE_MS }, logger)
        .then(
          (sent) => void (sent > 0 && logger.info({ sent }, "delivered queued emails")),
          (error: unknown) => logger.error({ err: error }, "outbox pass failed"),
        )
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            drain();
          }
        });
    };
    // Polls are not traced (an idle poll every second would bury the shop's requests); what they deliver is.
    const poller = setInterval(() => untraced(drain), config.OUTBOX_POLL_MS);
    poller.unref();
    // Anything left queued by a previous run (or a crash) goes out now.
    untraced(drain);
    return {
      createContext: () => Promise.resolve({ db, logger, now, kick: drain, users }),
      checkReady: databaseLifecycle(db).checkReady,
      close: async () => {
        clearInterval(poller);
        await running;
        await db.$disconnect();
      },
    };
  },
});
