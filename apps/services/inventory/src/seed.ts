import { products } from "@microshop/seed-data/catalog";
import type { Db } from "./db";

/** Gives every demo product its starting stock when the database is empty; returns how many. */
export async function seedIfEmpty(db: Db): Promise<number> {
  if ((await db.stockItem.count()) > 0) return 0;
  await db.stockItem.createMany({ data: products.map((product) => ({ productId: product.id, onHand: product.initialStock })) });
  return products.length;
}
