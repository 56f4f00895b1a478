import { createTRPCRouter } from "../trpc";
import { catalogRouter } from "./catalog";

export const appRouter = createTRPCRouter({
  catalog: catalogRouter,
});

/** The product service's API, as a type: what `createServiceClient<ProductRouter>("product")` needs. */
export type ProductRouter = typeof appRouter;
export type { ProductDetail, ProductSummary, CategoryRef } from "../views";
export type { SearchResult } from "../search";
