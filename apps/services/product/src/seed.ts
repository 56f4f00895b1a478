import type { Db } from "./db";

/** Seeds the catalog when the database is empty; returns how many products it wrote. */
export async function seedIfEmpty(db: Db): Promise<number> {
  if ((await db.product.count()) > 0) return 0;
  await db.category.create({ data: { id: "cat_demo", slug: "demo", name: "Demo", description: "Demo" } });
  await db.product.create({
    data: { id: "prod_demo", slug: "demo", name: "Demo", description: "Demo", priceMinor: 1000, images: [], attributes: {}, categoryId: "cat_demo" },
  });
  return 1;
}
