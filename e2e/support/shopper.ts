import { products } from "@microshop/seed-data/catalog";
import { expect, type Page } from "@playwright/test";

export function seedProduct(slug: string) {
  const product = products.find((p) => p.slug === slug);
  if (!product) throw new Error(`Seed data has no product ${slug}`);
  return product;
}

/** A fresh account per test: tests never share a shopper. */
export function newShopper(tag: string) {
  const unique = `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  return { name: `Shopper ${tag}`, email: `${unique}@example.com`, password: "correct horse battery" };
}

export async function addToCart(page: Page, slug: string, quantity = 1): Promise<void> {
  await page.goto(`/p/${slug}`);
  await page.getByLabel("Quantity").fill(String(quantity));
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByTestId("cart-feedback")).toContainText("Added to cart");
}

export async function signUp(page: Page, shopper: { name: string; email: string; password: string }, next = "/"): Promise<void> {
  await page.goto(`/sign-up?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Your name").fill(shopper.name);
  await page.getByLabel("Email").fill(shopper.email);
  await page.getByLabel("Password").fill(shopper.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export const testCards = { success: "4242 4242 4242 4242", declined: "4000 0000 0000 0002" } as const;

export async function fillCheckout(page: Page, card: string): Promise<void> {
  await page.getByLabel("Full name").fill("Ada Lovelace");
  await page.getByLabel("Street address").fill("12 St James's Square");
  await page.getByLabel("City").fill("London");
  await page.getByLabel("Postal code").fill("SW1Y 4JH");
  await page.getByLabel("Country code").fill("GB");
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry month").fill("12");
  await page.getByLabel("Expiry year").fill("2040");
  await page.getByLabel("Security code").fill("123");
  await page.getByLabel("Name on card").fill("Ada Lovelace");
}
