import { describe, expect, it } from "vitest";
import { categories, fixtures, products } from "./catalog";

describe("the demo catalog", () => {
  it("has about sixty products across six categories", () => {
    expect(categories).toHaveLength(6);
    expect(products.length).toBeGreaterThanOrEqual(55);
    for (const category of categories) expect(products.filter((p) => p.categorySlug === category.slug).length).toBeGreaterThan(0);
  });

  it("uses unique ids and slugs, and only categories that exist", () => {
    expect(new Set(products.map((p) => p.id)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.slug)).size).toBe(products.length);
    expect(new Set(categories.map((c) => c.slug)).size).toBe(categories.length);
    for (const product of products) {
      expect(categories.some((c) => c.slug === product.categorySlug)).toBe(true);
      expect(product.id).toBe(`prod_${product.slug}`);
      expect(product.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it("prices in whole cents and stocks in whole non-negative units", () => {
    for (const product of products) {
      expect(Number.isInteger(product.priceMinor) && product.priceMinor > 0).toBe(true);
      expect(Number.isInteger(product.initialStock) && product.initialStock >= 0).toBe(true);
    }
  });

  it("keeps the fixtures' stock as documented", () => {
    const stockOf = (slug: string) => products.find((p) => p.slug === slug)?.initialStock;
    expect(stockOf(fixtures.inStockSlug)).toBeGreaterThanOrEqual(20);
    expect(stockOf(fixtures.lowStockSlug)).toBe(3);
    expect(stockOf(fixtures.outOfStockSlug)).toBe(0);
    expect(stockOf(fixtures.lastUnitSlug)).toBe(1);
  });
});
