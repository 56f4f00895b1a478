import { categories, fixtures, products } from "@microshop/seed-data/catalog";
import { expect, test } from "../support/fixtures";

function seedProduct(slug: string) {
  const product = products.find((p) => p.slug === slug);
  if (!product) throw new Error(`Seed data has no product ${slug}`);
  return product;
}

test("a shopper goes from the home page to a category, searches, and opens a product with its stock", async ({ page }) => {
  const product = seedProduct(fixtures.inStockSlug);
  const category = categories.find((c) => c.slug === product.categorySlug)!;

  await page.goto("/");
  await expect(page.getByTestId("product-card").first()).toBeVisible();

  await page.locator(`a[href="/c/${category.slug}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/c/${category.slug}`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(category.name);
  await expect(page.getByTestId("product-card").first()).toBeVisible();

  const searchBox = page.getByLabel("Search products");
  await searchBox.fill(product.name);
  await searchBox.press("Enter");
  await expect(page).toHaveURL(/\/search\?/);
  const card = page.getByTestId("product-card").filter({ hasText: product.name }).first();
  await expect(card).toBeVisible();

  await card.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/p/${product.slug}`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(product.name);
  await expect(page.getByTestId("stock-status")).toHaveText("In stock");
});

test("stock labels follow the inventory: only a few left, out of stock", async ({ page }) => {
  await page.goto(`/p/${fixtures.lowStockSlug}`);
  await expect(page.getByTestId("stock-status")).toHaveText(`Only ${seedProduct(fixtures.lowStockSlug).initialStock} left`);

  await page.goto(`/p/${fixtures.outOfStockSlug}`);
  await expect(page.getByTestId("stock-status")).toHaveText("Out of stock");
});

test("search pages through results", async ({ page }) => {
  await page.goto("/search?q=");
  const firstPage = await page.getByTestId("product-card").allInnerTexts();
  expect(firstPage.length).toBeGreaterThan(0);
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId("product-card").first()).toBeVisible();
  const secondPage = await page.getByTestId("product-card").allInnerTexts();
  expect(secondPage).not.toEqual(firstPage);
});
