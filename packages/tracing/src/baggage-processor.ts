import { propagation, type Context } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { LOAD_BAGGAGE_KEY } from "@microshop/lab/load";
import { TEST_ID_KEY } from "./test-id";

/** The baggage keys every span carries as attributes: a test's id, the load generator's tag. */
export const tracedBaggageKeys: readonly string[] = [TEST_ID_KEY, LOAD_BAGGAGE_KEY];

/**
 * Copies chosen W3C baggage entries onto every span started under them, each as an attribute of the
 * same name, so the telemetry service can answer "the traces of this test" and the map can show or
 * hide synthetic load. Written here rather than taken from `@opentelemetry/baggage-span-processor`
 * because that package pins the 2.x trace SDK, and a few keys need a few lines.
 */
export class BaggageSpanProcessor implements SpanProcessor {
  constructor(private readonly keys: readonly string[] = tracedBaggageKeys) {}

  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (!baggage) return;
    for (const key of this.keys) {
      const entry = baggage.getEntry(key);
      if (entry) span.setAttribute(key, entry.value);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
