import { createHash } from "node:crypto";
import { testIdBaggage } from "@microshop/tracing/test-id";
import { test as base, type BrowserContext } from "@playwright/test";

/**
 * The address a test's shopper comes from, as the stack's one trusted proxy reports it (the e2e
 * stack runs with TRUSTED_PROXY_HOPS=1): every test is a shopper of its own, so per-client limits
 * (sign-ups per address and hour) count each test apart, as they would count real shoppers. The
 * value is only a header; nothing is ever sent to it.
 */
export function shopperAddress(testId: string): string {
  const [a = 0, b = 0] = createHash("sha256").update(testId).digest();
  return `198.18.${a}.${b}`;
}

/**
 * Tags every request of a browser context with a test's id (W3C baggage), end to end through the
 * stack, and with the test's own shopper address.
 */
export async function tagTraffic(context: BrowserContext, testId: string): Promise<void> {
  await context.setExtraHTTPHeaders({ baggage: testIdBaggage(testId), "x-forwarded-for": shopperAddress(testId) });
}

/**
 * Playwright's `test`, with each test's traffic tagged by an id of its own, so its traces can be
 * found in the telemetry service afterwards (`support/traces.ts`). Every spec imports `test` from here.
 */
export const test = base.extend<{ testId: string }>({
  testId: [
    async ({ context }, use, testInfo) => {
      const testId = `${testInfo.testId}-${testInfo.retry}-${Date.now().toString(36)}`;
      await tagTraffic(context, testId);
      await use(testId);
    },
    { auto: true },
  ],
});

export { expect } from "@playwright/test";
