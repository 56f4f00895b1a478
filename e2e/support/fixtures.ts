import { testIdBaggage } from "@microshop/tracing/test-id";
import { test as base, type BrowserContext } from "@playwright/test";

/** Tags every request of a browser context with a test's id (W3C baggage), end to end through the stack. */
export async function tagTraffic(context: BrowserContext, testId: string): Promise<void> {
  await context.setExtraHTTPHeaders({ baggage: testIdBaggage(testId) });
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
