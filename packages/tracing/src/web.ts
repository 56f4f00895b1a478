/**
 * The OpenTelemetry web SDK as the storefront's pages run it: every `fetch` is a client span whose
 * W3C `traceparent` reaches the server, so one click is one trace from the browser to the last
 * database query. Spans go to a same-origin route that relays them to the telemetry service.
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { FetchInstrumentation } from "@opentelemetry/instrumentation-fetch";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, StackContextManager, TracerProvider, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { RedactingSpanProcessor } from "./redacting-processor";

export interface BrowserTracingOptions {
  /** `service.name` of the page's spans; "browser" on the map. */
  readonly serviceName: string;
  /** Where spans are posted (OTLP/HTTP JSON), e.g. "/api/otel/v1/traces". */
  readonly exportUrl: string;
}

/**
 * Names each fetch span after what it asked for (`POST /api/trpc/checkout.place`) instead of the
 * instrumentation's bare `HTTP POST`, so a trace list says what the shopper did.
 */
class FetchSpanNamer implements SpanProcessor {
  onStart(span: Span): void {
    const url = span.attributes["url.full"] ?? span.attributes["http.url"];
    const method = span.attributes["http.request.method"] ?? span.attributes["http.method"];
    if (typeof url === "string" && URL.canParse(url))
      span.updateName(`${typeof method === "string" ? method : "GET"} ${new URL(url).pathname}`);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let started = false;

export function startBrowserTracing(options: BrowserTracingOptions): void {
  if (started || typeof window === "undefined") return;
  started = true;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [
      new FetchSpanNamer(),
      new RedactingSpanProcessor(),
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.exportUrl }), scheduledDelayMillis: 100 }),
    ],
  });
  // What 2.x's `WebTracerProvider.register()` did, which the 3.x SDK leaves to us: the stack context
  // manager (`@opentelemetry/context-zone` has no release for API 1.10) and W3C trace context and
  // baggage, so each fetch carries `traceparent` and `baggage` to the server.
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  const fetches = new FetchInstrumentation({
    // The export itself is not shop traffic (and tracing it would feed on itself).
    ignoreUrls: [new URL(options.exportUrl, window.location.href).href],
    clearTimingResources: true,
  });
  fetches.setTracerProvider(provider);
  fetches.enable();
}
