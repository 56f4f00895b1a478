import { fixtures } from "@microshop/seed-data/catalog";
import type { Locator, Page } from "@playwright/test";
import { guardPage } from "../support/browser-guards";
import { expect, test } from "../support/fixtures";
import { addToCart, fillCheckout, newShopper, signUp, testCards } from "../support/shopper";
import { dashboardUrl, stackMode, storefrontUrl, supervisor } from "../support/stack";

// The learner's view: the dashboard open in one tab while a shopper checks out in another.

const edge = (dashboard: Page, source: string, target: string): Locator => dashboard.getByTestId(`edge-${source}-${target}`);
const node = (dashboard: Page, id: string): Locator => dashboard.getByTestId(`service-node-${id}`);

async function requestsOn(edgeLocator: Locator): Promise<number> {
  return Number((await edgeLocator.getAttribute("data-requests")) ?? 0);
}

async function checkOut(page: Page): Promise<void> {
  await signUp(page, newShopper("watched"));
  await addToCart(page, fixtures.inStockSlug);
  await page.goto(`${storefrontUrl}/checkout`);
  await fillCheckout(page, testCards.success);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Confirmed");
}

const checkoutEdges =
  stackMode === "microservices"
    ? [
        ["storefront", "order"],
        ["order", "inventory"],
        ["order", "payment"],
        ["order", "email"],
      ]
    : [["storefront", "monolith"]];

test("a checkout shows up on the map as requests between the services, and as a trace with every service in it", async ({ page, context }) => {
  const dashboard = await context.newPage();
  const guard = await guardPage(dashboard);
  await dashboard.goto(dashboardUrl);
  await expect(node(dashboard, "storefront")).toBeVisible();
  const before = new Map<string, number>();
  for (const [source, target] of checkoutEdges) before.set(`${source}-${target}`, await requestsOn(edge(dashboard, source!, target!)).catch(() => 0));

  await checkOut(page);

  // Every hop of the checkout is counted on its edge, live.
  for (const [source, target] of checkoutEdges) {
    const line = edge(dashboard, source!, target!);
    await expect(line).toBeVisible();
    await expect.poll(() => requestsOn(line), { message: `${source}→${target}` }).toBeGreaterThan(before.get(`${source}-${target}`) ?? 0);
  }
  // The particles of the requests travel along the edges.
  await expect(dashboard.getByTestId("particle").first()).toBeAttached();

  // The learner filters the trace list for the checkout; opened, its trace holds every service.
  await dashboard.getByPlaceholder("Filter operations…").fill("orders.place");
  const row = dashboard.getByTestId("trace-row").filter({ hasText: "checkout.place" }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.click();
  const view = dashboard.getByTestId("trace-view");
  await expect(view).toBeVisible();
  const services = stackMode === "microservices" ? ["browser", "storefront", "order", "inventory", "payment", "email"] : ["browser", "storefront", "monolith"];
  for (const service of services) await expect(view.getByText(service, { exact: true }).first()).toBeVisible();

  // The replay runs, and through all of it the page kept to its Content-Security-Policy.
  await dashboard.getByRole("button", { name: /Replay/ }).click();
  await expect(dashboard.locator('[data-testid="particle"]').first()).toBeAttached();
  await guard.assertClean();
});

test("a stopped process shows as down on the map, and as up again once it is started", async ({ context }) => {
  const dashboard = await context.newPage();
  await dashboard.goto(dashboardUrl);
  const target = stackMode === "microservices" ? "payment" : "monolith";
  await expect(node(dashboard, target)).toHaveAttribute("data-status", "up");
  try {
    await supervisor.processes.stop.mutate({ name: target });
    await expect(node(dashboard, target)).toHaveAttribute("data-status", "down");
  } finally {
    await supervisor.processes.start.mutate({ name: target });
  }
  await expect(node(dashboard, target)).toHaveAttribute("data-status", "up");
});

test("the dashboard's control actions refuse a request forged by another site", async ({ page }) => {
  // A page on the storefront's origin is "another site" to the dashboard.
  await page.goto(storefrontUrl);
  const status = await page.evaluate(async (url) => {
    try {
      const response = await fetch(`${url}/api/trpc/processes.stop`, {
        method: "POST",
        mode: "no-cors",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ json: { name: "payment" } }),
      });
      return response.type;
    } catch {
      return "blocked";
    }
  }, dashboardUrl);
  expect(["opaque", "blocked"]).toContain(status);
  const forged = await fetch(`${dashboardUrl}/api/trpc/processes.stop`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    body: JSON.stringify({ json: { name: "payment" } }),
  });
  expect(forged.status).toBe(403);
  // Nothing was stopped.
  const payment = (await supervisor.processes.list.query()).find((process) => process.name === (stackMode === "microservices" ? "payment" : "monolith"));
  expect(payment?.state).toBe("ready");
});
