/**
 * Screenshots of the dashboard for a person to look at: `pnpm screenshots [baseUrl] [outDir]`.
 * Uses Debian's Chromium (or CHROMIUM_PATH). Shots: the map, a node's panel, an edge's panel, a
 * trace with its waterfall, the same trace mid-replay, a stopped service, and the map and its
 * drawer on a tablet.
 */
import path from "node:path";
import { openShotBrowser } from "./browser";

const baseUrl = process.argv[2] ?? "http://localhost:3101";
const outDir = path.resolve(process.argv[3] ?? "screenshots");
const { browser, page, shot } = await openShotBrowser(outDir, { width: 1280, height: 800 });

await page.goto(baseUrl);
await page.getByTestId("service-node-order").waitFor();
await page.waitForTimeout(2_500);
await shot("1-map");

await page.getByTestId("service-node-order").click();
await page.waitForTimeout(2_000);
await shot("2-node-panel");

await page.getByTestId("edge-order-payment").locator("path").first().click({ force: true });
await page.waitForTimeout(1_500);
await shot("3-edge-panel");

await page.getByRole("tab", { name: "Traces" }).click();
await page.getByRole("combobox").first().waitFor();
await page.getByPlaceholder(/Filter operations/).fill("checkout");
await page.waitForTimeout(2_500);
await page.getByTestId("trace-row").first().click();
await page.getByTestId("trace-view").waitFor();
await page.waitForTimeout(1_500);
await shot("4-trace");

await page.getByRole("combobox", { name: "Replay speed" }).selectOption("100");
await page.getByRole("button", { name: /Replay in slow motion/ }).click();
await page.waitForTimeout(1_200);
await shot("5-replay");
const particles = await page.getByTestId("particle").count();
console.warn(`particles on screen during replay: ${particles}`);

// Stop a service from its panel: the map shows it down, the panel says what happened.
await page.getByRole("button", { name: "Close the trace" }).click();
await page.getByTestId("service-node-payment").click();
await page.getByRole("button", { name: "Stop payment", exact: true }).click();
await page.getByTestId("service-node-payment").and(page.locator('[data-status="down"]')).waitFor();
await page.waitForTimeout(500);
await shot("6-payment-stopped");
await page.getByRole("button", { name: "Start payment", exact: true }).click();
await page.getByTestId("service-node-payment").and(page.locator('[data-status="up"]')).waitFor();

// A tablet: the map takes the width, the side panel is a drawer opened by a click on a service.
await page.setViewportSize({ width: 820, height: 1180 });
await page.waitForTimeout(1_500);
await shot("7-tablet-map");
await page.getByTestId("service-node-order").click();
await page.getByTestId("node-panel").waitFor();
await page.waitForTimeout(1_000);
await shot("8-tablet-drawer");

await browser.close();
