/**
 * The catalog pages are served from the storefront's catalog cache (apps/storefront/src/server/
 * catalog-cache.ts): what that cache keeps must never hide a change a shopper has to see. Stock is
 * never cached, so a purchase shows on the very next view; a product edited in the product
 * service's database shows once its entry is revalidated (the e2e stack revalidates every
 * CATALOG_CACHE_SECONDS=2, see playwright.config.ts; the product service has no edit API yet).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "../support/fixtures";
import { addToCart, fillCheckout, newShopper, seedProduct, signUp, testCards } from "../support/shopper";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import { directClient, e2eDataDir, stackMode, supervisor } from "../support/stack";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");

interface StockAnswer {
  readonly result: { readonly data: { readonly json: { readonly available: number | null } } };
}

test("a cached product page shows the stock a purchase just changed", async ({ page }) => {
  // Not a fixture of another test: its stock is this test's to change.
  const rug = seedProduct("cotton-rug");
  await page.goto(`/p/${rug.slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(rug.name);
  await expect(page.getByTestId("stock-status")).toBeVisible();

  // What is left now (the lab's load or an earlier run may have sold some): restocked as the
  // operator when fewer than three remain, then all but two are bought.
  const readAvailable = async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { productId: rug.id } }));
    const answer = (await (await page.request.get(`/api/trpc/stock.forProduct?input=${input}`)).json()) as StockAnswer;
    return answer.result.data.json.available ?? 0;
  };
  if ((await readAvailable()) < 3) {
    await directClient<InventoryRouter>("inventory", "operator").stock.restock.mutate({ productId: rug.id, quantity: 3 });
  }
  const available = await readAvailable();
  expect(available, "the rug needs at least three units for this test").toBeGreaterThanOrEqual(3);

  await addToCart(page, rug.slug, available - 2);
  await signUp(page, newShopper("cached-stock"), "/checkout");
  await fillCheckout(page, testCards.success);
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you for your order!");

  // The page itself comes from the cache; its badge does not.
  await page.goto(`/p/${rug.slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(rug.name);
  await expect(page.getByTestId("stock-status")).toHaveText("Only 2 left");
});

/** Runs SQL on the product service's own database, with its own Prisma CLI: as an operator's edit would. */
function editProductDatabase(sql: string): void {
  execFileSync(
    "pnpm",
    ["--filter", "@microshop/product-service", "exec", "prisma", "db", "execute", "--schema", "prisma/schema.prisma", "--stdin"],
    {
      cwd: repoRoot,
      input: sql,
      // The service's Prisma config opens DATABASE_URL: the stack's own product database.
      env: { ...process.env, DATABASE_URL: `file:${path.join(e2eDataDir, "product.db")}` },
      stdio: ["pipe", "ignore", "inherit"],
    },
  );
}

test("an edited product's cached page is revalidated", async ({ page }) => {
  const clock = seedProduct("wall-clock");
  const edited = `${clock.name} (new edition)`;
  // Revalidation is stale-while-revalidate: a view after the entry's time triggers the fetch and a
  // later one shows its result, so the page is looked at again until it does.
  const showsName = (name: string) =>
    expect(async () => {
      await page.goto(`/p/${clock.slug}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name, { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
  await showsName(clock.name);

  const rename = (name: string) => editProductDatabase(`UPDATE "Product" SET "name" = '${name}' WHERE "slug" = '${clock.slug}';`);
  rename(edited);
  try {
    await showsName(edited);
  } finally {
    rename(clock.name);
  }
});

test.describe("when the product service is down", () => {
  test.afterEach(async () => {
    if (stackMode === "microservices") await supervisor.processes.start.mutate({ name: "product" });
  });

  test("a page the cache holds is still served, one it does not hold says so, and recovers", async ({ page }) => {
    if (stackMode === "monolith") {
      // In a monolith the product service is not a process of its own: it cannot fail alone.
      await expect(supervisor.processes.stop.mutate({ name: "product" })).rejects.toThrow(/monolith/i);
      return;
    }
    const kept = seedProduct("stoneware-mug");
    const search = `/search?q=${encodeURIComponent(`lamp ${Date.now()}`)}`;
    await page.goto(`/p/${kept.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(kept.name);

    await supervisor.processes.stop.mutate({ name: "product" });
    await page.goto(`/p/${kept.slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(kept.name);
    // A search nobody made before is not in the cache, and the outage is not cached either.
    await page.goto(search);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("The catalog is taking a short break");

    await supervisor.processes.start.mutate({ name: "product" });
    await page.goto(search);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Results for/);
  });
});
