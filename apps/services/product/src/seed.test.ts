import path from "node:path";
import { products } from "@microshop/seed-data/catalog";
import { createTestDatabase } from "@microshop/service-runtime/testing";
import { expect, it } from "vitest";
import { openDb } from "./db";
import { seedIfEmpty } from "./seed";

it("seeds the whole demo catalog once, and never over existing data", async () => {
  const database = await createTestDatabase(path.resolve(import.meta.dirname, ".."), "product-seed");
  const db = await openDb(database.url);
  try {
    expect(await seedIfEmpty(db)).toBe(products.length);
    expect(await db.product.count()).toBe(products.length);
    expect(await seedIfEmpty(db)).toBe(0);
    expect(await db.product.count()).toBe(products.length);
  } finally {
    await db.$disconnect();
    database.remove();
  }
});
