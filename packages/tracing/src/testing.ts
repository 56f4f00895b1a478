import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { RedactingSpanProcessor } from "./redacting-processor";
import { BaggageSpanProcessor } from "./baggage-processor";

/** A real SDK, registered globally, whose finished spans land in memory: for this package's tests. */
export function recordSpans(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // As the Node SDK sets it: trace context and baggage.
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(
    new TracerProvider({
      spanProcessors: [new BaggageSpanProcessor(), new RedactingSpanProcessor(), new SimpleSpanProcessor({ exporter })],
    }),
  );
  return exporter;
}
