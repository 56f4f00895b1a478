import { categories, products } from "@microshop/seed-data/catalog";
import type { Db } from "./db";

/** Seeds the demo catalog when the database is empty; returns how many products it wrote. */
export async function seedIfEmpty(db: Db): Promise<number> {
  if ((await db.product.count()) > 0) return 0;
  const categoryIds = new Map(categories.map((category) => [category.slug, category.id]));
  await db.$transaction([
    db.category.createMany({ data: categories.map((category) => ({ ...category })) }),
    db.product.createMany({
      data: products.map(({ initialStock: _stock, categorySlug, attributes, ...product }) => {
        const categoryId = categoryIds.get(categorySlug);
        if (!categoryId) throw new Error(`Seed product ${product.slug} names unknown category ${categorySlug}`);
        return { ...product, attributes: { ...attributes }, images: [`/images/products/${product.slug}.svg`], categoryId };
      }),
    }),
  ]);
  return products.length;
}
