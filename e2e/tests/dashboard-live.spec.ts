import { fixtures } from "@microshop/seed-data/catalog";
import type { Locator, Page } from "@playwright/test";
import { guardPage } from "../support/browser-guards";
import { expect, test } from "../support/fixtures";
import { addToCart, fillCheckout, newShopper, signUp, testCards } from "../support/shopper";
import { dashboardUrl, stackMode, storefrontUrl, supervisor } from "../support/stack";
import { tracesOfTest } from "../support/traces";

// The learner's view: the dashboard open in one tab while a shopper checks out in another.

const edge = (dashboard: Page, source: string, target: string): Locator => dashboard.getByTestId(`edge-${source}-${target}`);
const node = (dashboard: Page, id: string): Locator => dashboard.getByTestId(`service-node-${id}`);

/** Counts, from now on, the dots the particle engine adds to each edge (they live about a second). */
async function countParticlesPerEdge(dashboard: Page): Promise<void> {
  await dashboard.evaluate(() => {
    const counts: Record<string, number> = {};
    Object.assign(window, { particleCounts: counts });
    new MutationObserver((records) => {
      for (const record of records) {
        for (const added of Array.from(record.addedNodes)) {
          if (!(added instanceof Element) || added.getAttribute("data-testid") !== "particle") continue;
          const edgeId = added.closest("[data-testid^='edge-']")?.getAttribute("data-testid");
          if (edgeId) counts[edgeId] = (counts[edgeId] ?? 0) + 1;
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

async function particlesPerEdge(dashboard: Page): Promise<Record<string, number>> {
  return dashboard.evaluate(() => (window as unknown as { particleCounts: Record<string, number> }).particleCounts);
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

test("a checkout shows up on the map as requests between the services, and as a trace with every service in it", async ({
  page,
  context,
  testId,
}) => {
  const dashboard = await context.newPage();
  const guard = await guardPage(dashboard);
  await dashboard.goto(dashboardUrl);
  await expect(node(dashboard, "storefront")).toBeVisible();
  await countParticlesPerEdge(dashboard);

  await checkOut(page);
  const [checkout] = await tracesOfTest(
    testId,
    (traces) => traces.some((trace) => trace.rootName.includes("checkout.place")),
    20_000,
  ).then((traces) => traces.filter((trace) => trace.rootName.includes("checkout.place")));

  // Every hop of this very checkout is on the map: opened, each edge lists a request of its trace.
  // (The edge's own count is a sliding window, which older requests leave while new ones arrive.)
  for (const [source, target] of checkoutEdges) {
    // Attached, not "visible": a straight horizontal edge has a bounding box of zero height.
    const line = edge(dashboard, source!, target!);
    await expect(line).toBeAttached();
    await line.locator(".react-flow__edge-interaction").dispatchEvent("click");
    const panel = dashboard.getByTestId("edge-panel");
    await expect(panel.getByRole("heading", { name: `${source} → ${target}` })).toBeVisible();
    await expect(
      panel.locator(`[data-testid="edge-request"][data-trace-id="${checkout!.traceId}"]`).first(),
      `${source}→${target}`,
    ).toBeAttached();
  }
  // The requests travelled as dots along those edges while the checkout ran.
  const dots = await particlesPerEdge(dashboard);
  for (const [source, target] of checkoutEdges)
    expect(dots[`edge-${source}-${target}`] ?? 0, `dots on ${source}→${target}`).toBeGreaterThan(0);

  // The learner filters the trace list for the checkout; opened, its trace holds every service.
  await dashboard.getByRole("tab", { name: "Traces" }).click();
  await dashboard.getByPlaceholder("Filter operations…").fill("orders.place");
  const row = dashboard.getByTestId("trace-row").filter({ hasText: "checkout.place" }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.click();
  const view = dashboard.getByTestId("trace-view");
  await expect(view).toBeVisible();
  const services =
    stackMode === "microservices"
      ? ["browser", "storefront", "order", "inventory", "payment", "email"]
      : ["browser", "storefront", "monolith"];
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
  // Running: up, or degraded while its recent errors (an earlier test killed a caller mid-charge)
  // are still in the map's window.
  const running = /^(up|degraded)$/;
  await expect(node(dashboard, target)).toHaveAttribute("data-status", running);
  try {
    await supervisor.processes.stop.mutate({ name: target });
    await expect(node(dashboard, target)).toHaveAttribute("data-status", "down");
  } finally {
    await supervisor.processes.start.mutate({ name: target });
  }
  await expect(node(dashboard, target)).toHaveAttribute("data-status", running);
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
  const payment = (await supervisor.processes.list.query()).find(
    (process) => process.name === (stackMode === "microservices" ? "payment" : "monolith"),
  );
  expect(payment?.state).toBe("ready");
});
