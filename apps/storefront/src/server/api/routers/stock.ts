import { z } from "zod";
import { stockStatus, stockUnavailable, type StockStatus } from "~/lib/stock-status";
import { createTRPCRouter, publicProcedure, type Context } from "../trpc";

const productId = z.string().trim().min(1, "A product id is needed").max(200);

/**
 * Stock levels as a shopper reads them. Never throws for a downstream failure: when the inventory
 * service is down or slower than its short deadline, every product reads "Stock unavailable" and
 * the page around it still renders.
 */
async function statusesFor(ctx: Context, productIds: readonly string[]): Promise<Map<string, StockStatus>> {
  const statuses = new Map<string, StockStatus>();
  let levels: { productId: string; available: number }[];
  try {
    levels = await ctx.services.inventory.stock.levels.query({
      productIds: [...productIds],
    });
  } catch (error) {
    console.warn("stock levels unavailable:", error instanceof Error ? error.message : error);
    for (const id of productIds) statuses.set(id, stockUnavailable);
    return statuses;
  }
  const available = new Map(levels.map((level) => [level.productId, level.available]));
  // A product the inventory service does not track cannot be sold: it reads as out of stock.
  for (const id of productIds) statuses.set(id, stockStatus(available.get(id) ?? 0));
  return statuses;
}

export const stockRouter = createTRPCRouter({
  forProduct: publicProcedure.input(z.object({ productId })).query(async ({ ctx, input }) => {
    const statuses = await statusesFor(ctx, [input.productId]);
    return statuses.get(input.productId) ?? stockUnavailable;
  }),

  forProducts: publicProcedure
    .input(z.object({ productIds: z.array(productId).min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const ids = [...new Set(input.productIds)];
      const statuses = await statusesFor(ctx, ids);
      return ids.map((id) => ({
        productId: id,
        ...(statuses.get(id) ?? stockUnavailable),
      }));
    }),
});
