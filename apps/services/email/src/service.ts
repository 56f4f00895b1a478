import { parseConfig } from "@microshop/service-runtime/config";
import type { UserRouter } from "@microshop/user-service/router";
import { defineService } from "@microshop/service-runtime/service";
import { databaseUrl } from "@microshop/service-runtime/database";
import { databaseLifecycle } from "@microshop/service-runtime/sqlite";
import { services } from "@microshop/topology";
import { emailConfigSchema } from "./config";
import { openDb } from "./db";
import { startBackgroundLoop } from "@microshop/service-runtime/background";
import { serviceInstanceId } from "@microshop/service-runtime/leases";
import { processOutbox } from "./outbox";
import { appRouter } from "./router/root";
import { createTransportFor } from "./transport";

export const emailService = defineService({
  name: "email",
  router: appRouter,
  defaultPort: services.email.port,
  async start({ env, logger, client, version }) {
    const config = parseConfig("email", emailConfigSchema, env);
    const db = await openDb(databaseUrl("email", config));
    const transport = createTransportFor(config.SMTP_URL, config.EMAIL_FROM);
    const users = client<UserRouter>("user", { timeoutMs: 2_000 });
    const now = () => new Date();
    const owner = serviceInstanceId(env);
    // Anything left queued by a previous run (or a crash) goes out at once; replicas split the work by lease.
    const outbox = startBackgroundLoop({
      name: "outbox pass",
      everyMs: config.OUTBOX_POLL_MS,
      logger,
      run: async () => {
        const sent = await processOutbox(
          db,
          transport,
          now,
          { maxAttempts: config.OUTBOX_MAX_ATTEMPTS, owner, leaseMs: config.OUTBOX_LEASE_MS },
          logger,
        );
        if (sent > 0) logger.info({ sent }, "delivered queued emails");
      },
    });
    return {
      createContext: () => Promise.resolve({ db, logger, now, kick: () => outbox.kick(), users, version }),
      checkReady: databaseLifecycle(db).checkReady,
      close: async () => {
        await outbox.stop();
        await db.$disconnect();
      },
    };
  },
});
