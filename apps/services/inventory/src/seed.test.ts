import { products } from "@microshop/seed-data/catalog";
import { createTestDatabase } from "@microshop/service-runtime/testing";
import { expect, it } from "vitest";
import { openDb } from "./db";
import { seedIfEmpty } from "./seed";
import { serviceDir } from "./test-helpers";

it("gives every catalog product its starting stock once", async () => {
  const database = await createTestDatabase(serviceDir, "inventory-seed");
  const db = await openDb(database.url);
  try {
    expect(await seedIfEmpty(db)).toBe(products.length);
    expect(await seedIfEmpty(db)).toBe(0);
    const first = products[0]!;
    expect(await db.stockItem.findUnique({ where: { productId: first.id } })).toMatchObject({
      onHand: first.initialStock,
      reserved: 0,
    });
  } finally {
    await db.$disconnect();
    database.remove();
  }
});
