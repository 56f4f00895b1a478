import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CBaggagePropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { RedactingSpanProcessor } from "./redacting-processor";
import { BaggageSpanProcessor } from "./baggage-processor";

/** A real SDK, registered globally, whose finished spans land in memory: for this package's tests. */
export function recordSpans(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CBaggagePropagator());
  trace.setGlobalTracerProvider(
    new TracerProvider({
      spanProcessors: [new BaggageSpanProcessor(), new RedactingSpanProcessor(), new SimpleSpanProcessor({ exporter })],
    }),
  );
  return exporter;
}
