import AxeBuilder from "@axe-core/playwright";
import { fixtures } from "@microshop/seed-data/catalog";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { dashboardUrl, storefrontUrl } from "../support/stack";

// WCAG 2.1 AA, as axe-core checks it, on the store's pages and on every state of the dashboard a
// learner reaches in a few clicks; and the dashboard's layout on a laptop and a tablet.

const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Every violation, one line each (rule, impact, the elements), so a failure says what to mend. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(wcag21aa).analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? "?"}): ${violation.help} — ${violation.nodes
        .slice(0, 5)
        .map((node) => node.target.join(" "))
        .join(", ")}${violation.nodes.length > 5 ? ` and ${violation.nodes.length - 5} more` : ""}`,
  );
}

const storePages = [
  ["home", "/"],
  ["product", `/p/${fixtures.inStockSlug}`],
  ["search", "/search?q=lamp"],
  ["cart", "/cart"],
  ["sign-in", "/sign-in"],
];

for (const [name, path] of storePages) {
  test(`the store's ${name} page passes an axe-core WCAG 2.1 AA scan`, async ({ page }) => {
    await page.goto(`${storefrontUrl}${path}`);
    await expect(page.getByRole("main")).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
}

const node = (page: Page, id: string) => page.getByTestId(`service-node-${id}`);

/** The dashboard on a laptop, with the map drawn. */
async function openDashboard(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(dashboardUrl);
  await expect(node(page, "storefront")).toBeVisible();
}

// One state a test: a scan of the busy page takes seconds on a loaded machine.
test("the dashboard's map and trace list pass an axe-core WCAG 2.1 AA scan", async ({ page }) => {
  await openDashboard(page);
  expect(await violations(page)).toEqual([]);
});

test("the dashboard's service panel passes an axe-core WCAG 2.1 AA scan", async ({ page }) => {
  await openDashboard(page);
  await node(page, "storefront").click();
  await expect(page.getByTestId("node-panel")).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test("the dashboard's edge panel passes an axe-core WCAG 2.1 AA scan", async ({ page }) => {
  await openDashboard(page);
  const edge = page.locator("[data-testid^='edge-']").first();
  await edge.locator(".react-flow__edge-interaction").dispatchEvent("click");
  await expect(page.getByTestId("edge-panel")).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test("the dashboard's trace view passes an axe-core WCAG 2.1 AA scan", async ({ page }) => {
  // Earlier tests loaded pages of the store: their traces are in the list.
  await openDashboard(page);
  const row = page.getByTestId("trace-row").first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(page.getByTestId("trace-view")).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

/** The properties the page's endless animations change (a flash that ends is not one of them). */
function endlessAnimationProperties(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const timing = new Set(["offset", "computedOffset", "easing", "composite"]);
    const properties = document
      .getAnimations()
      .filter((animation) => animation.effect?.getTiming().iterations === Infinity)
      .flatMap((animation) => (animation.effect instanceof KeyframeEffect ? animation.effect.getKeyframes() : []))
      .flatMap((frame) => Object.keys(frame).filter((key) => !timing.has(key)));
    return [...new Set(properties)].sort();
  });
}

// An open dashboard with nothing happening must cost its viewer next to nothing: an endless animation
// of anything but transform and opacity restyles and repaints at every frame (a box-shadow ping kept
// a quarter of a core busy in Chromium without a GPU).
test("the dashboard's live dot pings on the compositor alone, and stays still for a visitor who asks for less motion", async ({
  page,
}) => {
  await openDashboard(page);
  await expect(page.locator("[role='status'][data-status='pending']")).toBeVisible();
  expect(await endlessAnimationProperties(page)).toEqual(["opacity", "transform"]);
  await page.emulateMedia({ reducedMotion: "reduce" });
  expect(await endlessAnimationProperties(page)).toEqual([]);
});

/** The boxes of every service node, and of the map that holds them, in page pixels. */
async function mapGeometry(page: Page) {
  return page.evaluate(() => {
    const box = (element: Element) => {
      const r = element.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const map = document.querySelector("[data-testid='service-map']");
    return {
      map: map ? box(map) : null,
      nodes: Array.from(document.querySelectorAll("[data-testid^='service-node-']")).map((element) => ({
        id: element.getAttribute("data-testid"),
        ...box(element),
      })),
      scrollWidth: document.documentElement.scrollWidth,
      viewportWidth: window.innerWidth,
    };
  });
}

async function expectMapFits(page: Page): Promise<void> {
  // The map refits after a resize (with a short animation): poll until every node is inside it.
  await expect
    .poll(async () => {
      const { map, nodes } = await mapGeometry(page);
      if (!map || nodes.length === 0) return ["no map yet"];
      return nodes
        .filter((n) => n.left < map.left - 1 || n.right > map.right + 1 || n.top < map.top - 1 || n.bottom > map.bottom + 1)
        .map((n) => n.id);
    })
    .toEqual([]);
  const { scrollWidth, viewportWidth } = await mapGeometry(page);
  expect(scrollWidth, "no sideways scrolling").toBeLessThanOrEqual(viewportWidth);
}

test("the map fits its viewport on a laptop, and again after a resize", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(dashboardUrl);
  await expect(node(page, "storefront")).toBeVisible();
  await expectMapFits(page);
  await page.setViewportSize({ width: 1024, height: 640 });
  await expectMapFits(page);
});

test("on a tablet the side panel is a drawer: closed over the full-width map, opened by a click on a service", async ({
  page,
}) => {
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(dashboardUrl);
  await expect(node(page, "storefront")).toBeVisible();
  await expectMapFits(page);
  const panel = page.getByTestId("side-panel");
  await expect(panel).toBeHidden();

  await page.getByRole("button", { name: "Open the side panel" }).click();
  await expect(panel).toBeVisible();
  await expect(page.getByRole("tab", { name: "Traces" })).toBeVisible();
  await page.getByRole("button", { name: "Close the side panel" }).click();
  await expect(panel).toBeHidden();

  await node(page, "storefront").click();
  await expect(panel).toBeVisible();
  await expect(page.getByTestId("node-panel")).toBeVisible();
  expect(await violations(page), "the open drawer").toEqual([]);
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
});
