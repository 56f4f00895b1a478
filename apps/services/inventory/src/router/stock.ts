import { z } from "zod";
import { level, levels, restock } from "../stock";
import { createTRPCRouter, publicProcedure } from "../trpc";

const productId = z.string().trim().min(1).max(100);

export const stockRouter = createTRPCRouter({
  levels: publicProcedure
    .input(z.object({ productIds: z.array(productId).min(1).max(100) }))
    .query(({ ctx, input }) => levels(ctx.db, input.productIds)),

  level: publicProcedure.input(z.object({ productId })).query(({ ctx, input }) => level(ctx.db, input.productId)),

  restock: publicProcedure
    .input(z.object({ productId, quantity: z.number().int().min(1).max(10_000) }))
    .mutation(({ ctx, input }) => restock(ctx.db, input.productId, input.quantity)),
});
