import { z } from "zod";
import { sortOptions } from "~/lib/listing-params";
import { createTRPCRouter, downstreamProcedure } from "../trpc";

const catalogProcedure = downstreamProcedure("the catalog");

const slug = z.string().trim().min(1, "A slug is needed").max(200);

/** The shop's read-only view of the product service; the browser never reaches that service directly. */
export const catalogRouter = createTRPCRouter({
  categories: catalogProcedure.query(({ ctx }) => ctx.services.product.catalog.categories.query()),

  category: catalogProcedure
    .input(z.object({ slug }))
    .query(({ ctx, input }) => ctx.services.product.catalog.category.query(input)),

  search: catalogProcedure
    .input(
      z.object({
        q: z.string().trim().max(200, "Search terms can be at most 200 characters").optional(),
        categorySlug: slug.optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(48).default(12),
        sort: z.enum(sortOptions).default("relevance"),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.services.product.catalog.search.query({
        ...input,
        q: input.q === "" ? undefined : input.q,
      }),
    ),

  bySlug: catalogProcedure.input(z.object({ slug })).query(({ ctx, input }) => ctx.services.product.catalog.bySlug.query(input)),

  featured: catalogProcedure
    .input(z.object({ limit: z.number().int().min(1).max(24).default(8) }).default({ limit: 8 }))
    .query(({ ctx, input }) => ctx.services.product.catalog.featured.query(input)),
});
