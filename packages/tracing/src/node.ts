/**
 * The OpenTelemetry Node SDK as every process of ours runs it: HTTP (incoming, and outgoing
 * `node:http`) and undici (fetch) instrumentation where a process needs them (not in a service,
 * see `instrumentHttp`), W3C trace context and baggage, and OTLP/HTTP export
 * with a short batch delay so the dashboard is live. A call between services is two spans, the
 * caller's (our tRPC link's, which sends `traceparent` itself) and the callee's server span: the
 * HTTP instrumentation leaves out a request that already carries its context. A service's server
 * span is the runtime's own (`./server-span`, which says why), not the instrumentation's. Database spans are
 * not an instrumentation's: the services' driver adapters make one per SQL statement
 * (`@microshop/service-runtime`'s `statement-spans.ts`, which says why Prisma's own
 * instrumentation is not used).
 *
 * Call `startNodeTracing` from the process's `instrumentation.ts`, imported before anything else.
 * Standard variables apply: `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318),
 * `OTEL_SDK_DISABLED=true` turns it all off, `OTEL_BSP_SCHEDULE_DELAY` (default here 100 ms),
 * `OTEL_RESOURCE_ATTRIBUTES` (`service.instance.id`, `service.version`: see `resource.ts`).
 */
import { createRequire } from "node:module";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import { nameServerSpan } from "./rpc";
import { isUntracedPath } from "./server-span";
import { carriesTraceContext } from "./trace-headers";
import { RedactingSpanProcessor } from "./redacting-processor";
import { processResource } from "./resource";
import { BaggageSpanProcessor } from "./baggage-processor";
import { quietTracers } from "./quiet-tracers";

export interface NodeTracingOptions {
  /** `service.name` of every span of this process. */
  readonly serviceName: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * False in a process whose server makes its own server spans (our service runtime, with
   * `serveTraced` from `./server-span`): the HTTP instrumentation then leaves incoming requests
   * alone. Default true (a Next.js app's pages).
   */
  readonly incomingRequests?: boolean;
  /**
   * False in a process whose every outgoing call is the service client's, which makes its own
   * client span and sends `traceparent` itself, and whose server makes its own server spans (our
   * service runtime): the HTTP and undici instrumentations would only cost there, wrapping every
   * request to decide to leave it alone (a tenth of the SDK's added CPU in the order service's
   * profile, 2026-12-07). Default true.
   */
  readonly instrumentHttp?: boolean;
  /**
   * Tracers whose spans are not recorded, the trace passing through them (`./quiet-tracers`, which
   * says why): a Next.js app gives `next.js`.
   */
  readonly quietTracers?: readonly string[];
}

/**
 * The HTTP instrumentation as every process runs it: no span for the machinery's requests (probes,
 * assets, span export), server spans named after the tRPC procedure they serve (none at all where
 * the process's server makes its own), and no client span for a call between services, whose own
 * span (the service client's) sends the context itself.
 */
export function httpInstrumentation(serviceName: string, options: { incomingRequests: boolean }): HttpInstrumentation {
  return new HttpInstrumentation({
    disableIncomingRequestInstrumentation: !options.incomingRequests,
    ignoreIncomingRequestHook: (request) => isUntracedPath(request.url ?? "/"),
    ignoreOutgoingRequestHook: (request) => carriesTraceContext(request.headers),
    requestHook: (span, request) => {
      if ("url" in request && "headers" in request && !("path" in request)) {
        nameServerSpan(span, request.method ?? "GET", request.url ?? "/", serviceName);
      }
    },
  });
}

let sdk: NodeSDK | undefined;

/** Starts tracing once per process; false when `OTEL_SDK_DISABLED=true`. */
export function startNodeTracing(options: NodeTracingOptions): boolean {
  // eslint-disable-next-line no-restricted-properties -- the SDK reads OTEL_* from process.env itself; these two are read the same way.
  const env = options.env ?? process.env;
  if (sdk) return true;
  if (env.OTEL_SDK_DISABLED === "true") return false;
  const delay = Number(env.OTEL_BSP_SCHEDULE_DELAY ?? 100);
  const instrumentHttp = options.instrumentHttp ?? true;
  sdk = new NodeSDK({
    serviceName: options.serviceName,
    // service.instance.id and service.version, from OTEL_RESOURCE_ATTRIBUTES or the lab's variables.
    resource: processResource(options.serviceName, env),
    // Spans only. Left to itself the SDK would also start an OTLP metric reader and log exporter
    // (their variables unset mean "otlp"): the HTTP instrumentation would then record a duration
    // histogram on every request, sampled or not, and every process would post metrics and logs
    // that the telemetry service does not take. The map's rates and latencies come from the spans.
    // Setting `OTEL_METRICS_EXPORTER` or `OTEL_LOGS_EXPORTER` (for a Collector) brings them back.
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
    spanProcessors: [
      new BaggageSpanProcessor(),
      // Before export: no query string, secret field or credential leaves the process in a span.
      new RedactingSpanProcessor(),
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: Number.isFinite(delay) && delay >= 0 ? delay : 100,
        maxQueueSize: 8_192,
        maxExportBatchSize: 1_024,
      }),
    ],
    instrumentations: instrumentHttp
      ? [
          httpInstrumentation(options.serviceName, { incomingRequests: options.incomingRequests ?? true }),
          new UndiciInstrumentation(),
        ]
      : [],
  });
  sdk.start();
  quietTracers(options.quietTracers ?? []);
  // An ESM program imports `node:http` without going through `require`, which is where the
  // instrumentation patches it; requiring it once here applies the patch to the one shared module.
  if (instrumentHttp) createRequire(import.meta.url)("node:http");
  return true;
}

/** Exports what is still buffered and stops; for a graceful exit. */
export async function shutdownNodeTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
