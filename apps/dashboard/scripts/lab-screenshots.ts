/**
 * Screenshots of the lab for a person to look at: `pnpm lab-screenshots [baseUrl] [outDir]`, against
 * a dashboard started on `pnpm dev:lab` (the pretend control plane). Shots: a scale-out of payment
 * to three replicas, a canary of cart at 20 %, and a fault of 300 ms on order → payment. Uses
 * Debian's Chromium (or CHROMIUM_PATH).
 */
import path from "node:path";
import { openShotBrowser } from "./browser";

const baseUrl = process.argv[2] ?? "http://localhost:3101";
const outDir = path.resolve(process.argv[3] ?? "screenshots");
const { browser, page, shot } = await openShotBrowser(outDir, { width: 1440, height: 900 });
const node = (id: string) => page.getByTestId(`service-node-${id}`);

await page.goto(baseUrl);
await node("payment").waitFor();
await page.waitForTimeout(2_000);

// Start some load, then scale payment out to three from its node's + button.
await page.getByTestId("lab-bar").getByRole("button", { name: "Start load" }).click();
await node("payment").click();
for (let replicas = 2; replicas <= 3; replicas++) {
  await node("payment")
    .getByRole("button", { name: /One replica more of payment/ })
    .click();
  await node("payment")
    .getByRole("listitem")
    .nth(replicas - 1)
    .waitFor();
  await page.waitForTimeout(1_500);
}
await page.waitForTimeout(4_000);
await shot("lab-scale");

// A canary of cart at 20 %, from its panel.
await node("cart").click();
const panel = page.getByTestId("node-panel");
await panel.getByLabel("Canary").check();
await panel.getByRole("button", { name: /Deploy cart/ }).click();
await panel.getByTestId("deployment-progress").waitFor();
await page.waitForTimeout(6_000);
await shot("lab-canary");

// 300 ms on order → payment, from the edge's panel.
await page.getByTestId("edge-order-payment").locator(".react-flow__edge-interaction").dispatchEvent("click");
const edge = page.getByTestId("edge-panel");
await edge.getByLabel("Latency (ms)").fill("300");
await edge.getByRole("button", { name: "Add fault" }).click();
await page.getByTestId("edge-fault-order-payment").waitFor();
await page.waitForTimeout(6_000);
await shot("lab-fault");

await page.getByRole("tab", { name: "Lab" }).click();
await page.waitForTimeout(800);
await shot("lab-panel");

await browser.close();
