import "./instrumentation";
import { exitOnConfigError, loadConfig, processEnv, requireServiceTrustInProduction } from "@microshop/service-runtime/config";
import { createLogger } from "@microshop/service-runtime/logger";
import { closeOnSignals } from "@microshop/service-runtime/signals";
import { ports } from "@microshop/topology";
import { monolithConfigSchema } from "./config";
import { startMonolith } from "./monolith";
import { serviceDefinitions } from "./services";

const config = loadConfig("monolith", monolithConfigSchema);
exitOnConfigError(() => requireServiceTrustInProduction("monolith", config));
const logger = createLogger("monolith", config.LOG_LEVEL);
const server = await startMonolith({
  definitions: serviceDefinitions,
  env: processEnv,
  host: config.HOST,
  port: config.MONOLITH_PORT ?? config.PORT ?? ports.monolith,
  logger,
  loggerFor: (service) => createLogger(service, config.LOG_LEVEL).child({ deployment: "monolith" }),
  maxBodyBytes: config.MAX_BODY_BYTES,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  ...(config.SERVICE_TRUSTED_KEYS ? { trustedKeys: config.SERVICE_TRUSTED_KEYS } : {}),
  ...(config.SERVICE_SIGNING_KEY ? { credentials: { caller: "monolith", signingKey: config.SERVICE_SIGNING_KEY } } : {}),
  ...(config.LAB_FEED_URL ? { feedUrl: config.LAB_FEED_URL } : {}),
  identity: { instance: config.SERVICE_INSTANCE_ID ?? "monolith", version: config.SERVICE_VERSION },
});
closeOnSignals(server, logger);
