import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createRouter, publicProcedure } from "../trpc";

export const catalogRouter = createRouter({
  categories: publicProcedure.query(({ ctx }) => ctx.db.category.findMany({ orderBy: { name: "asc" } })),

  bySlug: publicProcedure.input(z.object({ slug: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    const product = await ctx.db.product.findUnique({ where: { slug: input.slug }, include: { category: true } });
    if (!product) throw new TRPCError({ code: "NOT_FOUND", message: `No product called "${input.slug}"` });
    return product;
  }),
});
