import { expect, test } from "../support/fixtures";

test("an unknown product is a real 404 page", async ({ page }) => {
  const response = await page.goto("/p/no-such-product-anywhere");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/not found|couldn.t find/i);
  // The way back into the shop is right there.
  await expect(page.getByLabel("Search products")).toBeVisible();
});

test("an unknown category is a real 404 page", async ({ page }) => {
  const response = await page.goto("/c/no-such-category");
  expect(response?.status()).toBe(404);
});
