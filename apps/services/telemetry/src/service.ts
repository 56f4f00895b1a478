import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { ports } from "@microshop/topology";
import { telemetryConfigSchema } from "./config";
import { otlpTraceRoute } from "./receiver";
import { appRouter } from "./router/root";
import { TraceStore } from "./store";

/** Receives OTLP traces on the OTLP default port and serves the map and traces through tRPC. */
export const telemetryService = defineService({
  name: "telemetry",
  router: appRouter,
  defaultPort: ports.telemetry,
  start(env, logger) {
    const config = parseConfig("telemetry", telemetryConfigSchema, env);
    const store = new TraceStore(config.TELEMETRY_MAX_SPANS);
    return Promise.resolve({
      createContext: () => Promise.resolve({ store, logger, now: () => new Date() }),
      checkReady: () => Promise.resolve(),
      close: () => Promise.resolve(),
      routes: [otlpTraceRoute(store, logger, config.OTLP_MAX_BODY_BYTES)],
    });
  },
});
