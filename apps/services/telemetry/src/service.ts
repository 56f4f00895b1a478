import { parseConfig } from "@microshop/service-runtime/config";
import { defineService } from "@microshop/service-runtime/service";
import { ports } from "@microshop/topology";
import { telemetryConfigSchema } from "./config";
import { createForwarder } from "./forwarder";
import { TelemetryPipeline } from "./pipeline";
import { otlpTraceRoute } from "./receiver";
import { appRouter } from "./router/root";

/** Receives OTLP traces on the OTLP default port and serves the map, traces and live stream through tRPC. */
export const telemetryService = defineService({
  name: "telemetry",
  router: appRouter,
  defaultPort: ports.telemetry,
  start({ env, logger }) {
    const config = parseConfig("telemetry", telemetryConfigSchema, env);
    const pipeline = new TelemetryPipeline({ maxSpans: config.TELEMETRY_MAX_SPANS, maxBytes: config.TELEMETRY_MAX_BYTES });
    const forward = config.OTLP_FORWARD_URL
      ? createForwarder({ url: config.OTLP_FORWARD_URL, timeoutMs: config.OTLP_FORWARD_TIMEOUT_MS, logger })
      : undefined;
    if (config.OTLP_FORWARD_URL) logger.info({ url: config.OTLP_FORWARD_URL }, "forwarding every accepted OTLP export");
    const { store, map, live } = pipeline;
    return Promise.resolve({
      createContext: () => Promise.resolve({ store, map, live, logger, now: () => new Date() }),
      checkReady: () => Promise.resolve(),
      // Dashboards keep a live stream open: end it so a shutdown does not wait out its timeout.
      stopStreams: () => live.close(),
      close: () => {
        pipeline.close();
        return Promise.resolve();
      },
      routes: [
        otlpTraceRoute({ ingest: (spans) => pipeline.ingest(spans), logger, maxBytes: config.OTLP_MAX_BODY_BYTES, forward }),
      ],
    });
  },
});
