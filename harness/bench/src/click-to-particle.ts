/**
 * Click-to-particle: how long after a shopper's click the learner sees it move on the map. One
 * Chromium, two pages: the dashboard, and the storefront where "Add to cart" is clicked. The
 * dashboard page stamps every particle the moment it is added to the DOM; the stack is otherwise
 * idle (polls are not traced), so the first particle after a click is that click's. The path it
 * measures: browser → storefront → cart → product/inventory, spans batched and exported by each
 * process (100 ms), joined by the telemetry service, streamed (≤ 50 ms batches) through the
 * dashboard's BFF over SSE, and drawn.
 */
import os from "node:os";
import { allowCompiledFunctions, launchChromium } from "./browser";
import { percentile, writeSection } from "./report";
import { benchPortOffset, startStack } from "./running-stack";

const clicks = 20;

export interface ClickToParticle {
  readonly samplesMs: number[];
}

export async function benchClickToParticle(): Promise<ClickToParticle> {
  const stack = await startStack({ portOffset: benchPortOffset });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await allowCompiledFunctions(context);
    const dashboard = await context.newPage();
    await dashboard.goto(stack.dashboardUrl);
    await dashboard.getByTestId("service-node-storefront").waitFor();
    await dashboard.evaluate(() => {
      const stamps: number[] = [];
      (window as unknown as { particleStamps: number[] }).particleStamps = stamps;
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          for (const added of mutation.addedNodes) {
            if (added instanceof Element && added.getAttribute("data-testid") === "particle") stamps.push(Date.now());
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const shop = await context.newPage();
    await shop.goto(`${stack.storefrontUrl}/p/stoneware-mug`);
    const add = shop.getByRole("button", { name: "Add to cart" });
    await add.click(); // warm-up: compiles nothing in production, but opens connections and pools
    await shop.waitForTimeout(2_000);

    const samplesMs: number[] = [];
    for (let i = 0; i < clicks; i++) {
      await dashboard.evaluate(() => ((window as unknown as { particleStamps: number[] }).particleStamps.length = 0));
      const clickedAt = Date.now();
      await add.click();
      const first = await dashboard.waitForFunction(
        () => (window as unknown as { particleStamps: number[] }).particleStamps[0],
        undefined,
        { timeout: 10_000 },
      );
      samplesMs.push(((await first.jsonValue()) as number) - clickedAt);
      await shop.waitForTimeout(1_500); // let this click's particles finish before the next
    }
    return { samplesMs };
  } finally {
    await browser.close();
    await stack.stop();
  }
}

export function writeClickToParticle(result: ClickToParticle): void {
  const s = result.samplesMs;
  writeSection(
    "click-to-particle",
    `## Click-to-particle

From a shopper's click on "Add to cart" in the storefront to the first particle of that request on
the dashboard's map, both pages open in one headless Chromium beside the whole microservices stack
(${s.length} clicks, 1.5 s apart). On the way: each process's span batch (100 ms), the telemetry
service joining client and server spans, its live stream (≤ 50 ms batches) relayed over SSE by the
dashboard's BFF, and the drawing. Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} cores, Node ${process.version}. Goal: p95 under 500 ms.

| p50 | p95 | max |
| --- | --- | --- |
| ${percentile(s, 50)} ms | ${percentile(s, 95)} ms | ${Math.max(...s)} ms |
`,
  );
}
