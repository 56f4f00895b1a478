/**
 * The tRPC side of the hop benchmark: the product service's `catalog.bySlug` shape (zod input, the
 * runtime's error shape and wire format) answering the fixed 1 KB product, so the figure is the
 * hop's alone, without the database the real service reads.
 */
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { benchProduct } from "./payload";

const t = initTRPC.create({ transformer, errorFormatter: createErrorFormatter("product") });

export const benchRouter = t.router({
  catalog: t.router({
    bySlug: t.procedure.input(z.object({ slug: z.string().min(1).max(200) })).query(({ input }) => {
      if (input.slug !== benchProduct.slug) throw new TRPCError({ code: "NOT_FOUND", message: `No product "${input.slug}"` });
      return benchProduct;
    }),
  }),
});
export type BenchRouter = typeof benchRouter;
