/**
 * Tags one test's traffic so that its traces can be found again. The key travels as W3C baggage
 * (`baggage: microshop.test_id=<id>`) through every hop, and every span started under it carries
 * it as an attribute of the same name (see `BaggageSpanProcessor`).
 */
export const TEST_ID_KEY = "microshop.test_id";

/** The `baggage` header value that tags a request with a test id. */
export function testIdBaggage(testId: string): string {
  return `${TEST_ID_KEY}=${encodeURIComponent(testId)}`;
}
