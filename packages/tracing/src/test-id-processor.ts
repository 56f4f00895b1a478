import { propagation, type Context } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import { TEST_ID_KEY } from "./test-id";

/**
 * Copies the test id from the W3C baggage onto every span started under it, so the telemetry
 * service can answer "the traces of this test". Written here rather than taken from
 * `@opentelemetry/baggage-span-processor` because that package pins the 2.x trace SDK, and one
 * key needs six lines.
 */
export class TestIdSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const entry = propagation.getBaggage(parentContext)?.getEntry(TEST_ID_KEY);
    if (entry) span.setAttribute(TEST_ID_KEY, entry.value);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
