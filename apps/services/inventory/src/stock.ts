import { TRPCError } from "@trpc/server";
import type { Db } from "./db";

export interface StockLevel {
  readonly productId: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
}

function toLevel(row: { productId: string; onHand: number; reserved: number }): StockLevel {
  return { productId: row.productId, onHand: row.onHand, reserved: row.reserved, available: row.onHand - row.reserved };
}

export async function levels(db: Db, productIds: readonly string[]): Promise<StockLevel[]> {
  const rows = await db.stockItem.findMany({ where: { productId: { in: [...productIds] } }, orderBy: { productId: "asc" } });
  return rows.map(toLevel);
}

export async function level(db: Db, productId: string): Promise<StockLevel> {
  const row = await db.stockItem.findUnique({ where: { productId } });
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No stock is kept for product ${productId}` });
  return toLevel(row);
}

export async function restock(db: Db, productId: string, quantity: number): Promise<StockLevel> {
  const updated = await db.$executeRaw`UPDATE "StockItem" SET "onHand" = "onHand" + ${quantity} WHERE "productId" = ${productId}`;
  if (updated !== 1) throw new TRPCError({ code: "NOT_FOUND", message: `No stock is kept for product ${productId}` });
  return level(db, productId);
}
