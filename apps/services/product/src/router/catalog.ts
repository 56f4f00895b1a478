import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Db } from "../db";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { searchInput, searchProducts } from "../search";
import { toDetail, toSummary, withCategory } from "../views";

const slug = z.string().trim().min(1).max(200);

async function findCategory(db: Db, categorySlug: string) {
  const category = await db.category.findUnique({ where: { slug: categorySlug } });
  if (!category) throw new TRPCError({ code: "NOT_FOUND", message: `There is no category called "${categorySlug}"` });
  return category;
}

export const catalogRouter = createTRPCRouter({
  categories: publicProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.category.findMany({
      orderBy: { name: "asc" },
      include: { _count: { select: { products: true } } },
    });
    return rows.map(({ _count, ...category }) => ({ ...category, productCount: _count.products }));
  }),

  category: publicProcedure.input(z.object({ slug })).query(({ ctx, input }) => findCategory(ctx.db, input.slug)),

  search: publicProcedure.input(searchInput).query(async ({ ctx, input }) => {
    const category = input.categorySlug ? await findCategory(ctx.db, input.categorySlug) : undefined;
    return searchProducts(ctx.db, input, category?.id);
  }),

  bySlug: publicProcedure.input(z.object({ slug })).query(async ({ ctx, input }) => {
    const row = await ctx.db.product.findUnique({ where: { slug: input.slug }, include: withCategory });
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "We couldn't find that product" });
    return toDetail(row);
  }),

  byIds: publicProcedure
    .input(z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.product.findMany({ where: { id: { in: input.ids } }, include: withCategory });
      return rows.map(toSummary);
    }),

  /** A deterministic pick that takes one product from each category in turn. */
  featured: publicProcedure
    .input(z.object({ limit: z.number().int().min(1).max(24).default(8) }).default({ limit: 8 }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.product.findMany({
        include: withCategory,
        orderBy: [{ categoryId: "asc" }, { id: "asc" }],
        take: 500,
      });
      const byCategory = new Map<string, typeof rows>();
      for (const row of rows) byCategory.set(row.categoryId, [...(byCategory.get(row.categoryId) ?? []), row]);
      const queues = [...byCategory.values()];
      const picked: typeof rows = [];
      for (let round = 0; picked.length < input.limit && queues.some((queue) => queue.length > round); round++) {
        for (const queue of queues) {
          const row = queue[round];
          if (row && picked.length < input.limit) picked.push(row);
        }
      }
      return picked.map(toSummary);
    }),
});
