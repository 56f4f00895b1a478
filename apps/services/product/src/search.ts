import { containsText } from "@microshop/service-runtime/database";
import { z } from "zod";
import type { Db } from "./db";
import type { Prisma } from "./generated/prisma/client";
import { toSummary, withCategory, type ProductSummary } from "./views";

export const sortOptions = ["relevance", "price-asc", "price-desc", "name", "newest"] as const;

export const searchInput = z.object({
  q: z.string().trim().max(100, "Search for at most 100 characters").optional(),
  categorySlug: z.string().min(1).max(100).optional(),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(48).default(12),
  sort: z.enum(sortOptions).default("relevance"),
});
export type SearchInput = z.infer<typeof searchInput>;

export interface SearchResult {
  readonly items: ProductSummary[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pageCount: number;
}

const orderBy: Record<(typeof sortOptions)[number], Prisma.ProductOrderByWithRelationInput[]> = {
  relevance: [{ name: "asc" }, { id: "asc" }],
  name: [{ name: "asc" }, { id: "asc" }],
  "price-asc": [{ priceMinor: "asc" }, { name: "asc" }],
  "price-desc": [{ priceMinor: "desc" }, { name: "asc" }],
  newest: [{ createdAt: "desc" }, { id: "asc" }],
};

/**
 * Text and category search with paging. Case-insensitive (`containsText`: SQLite's LIKE ignores
 * ASCII case, Postgres is asked for ILIKE), which is what a shop's search box needs at this size. "Relevance" ranks name matches
 * before matches in the description or category, and pages across both groups without loading
 * either whole.
 */
export async function searchProducts(db: Db, input: SearchInput, categoryId: string | undefined): Promise<SearchResult> {
  const q = input.q && input.q.length > 0 ? input.q : undefined;
  const scope: Prisma.ProductWhereInput = categoryId ? { categoryId } : {};
  const text = q ? containsText(db, q) : undefined;
  const nameMatch: Prisma.ProductWhereInput = text ? { name: text } : {};
  const otherMatch: Prisma.ProductWhereInput = text
    ? { NOT: { name: text }, OR: [{ description: text }, { category: { name: text } }] }
    : {};
  const all: Prisma.ProductWhereInput = q ? { AND: [scope, { OR: [nameMatch, otherMatch] }] } : scope;

  const total = await db.product.count({ where: all });
  const skip = (input.page - 1) * input.pageSize;
  const pageCount = Math.max(1, Math.ceil(total / input.pageSize));
  let rows;
  if (q && input.sort === "relevance") {
    const first: Prisma.ProductWhereInput = { AND: [scope, nameMatch] };
    const rest: Prisma.ProductWhereInput = { AND: [scope, otherMatch] };
    const firstCount = await db.product.count({ where: first });
    const fromFirst = await db.product.findMany({
      where: first,
      include: withCategory,
      orderBy: orderBy.name,
      skip,
      take: input.pageSize,
    });
    const fromRest =
      fromFirst.length < input.pageSize
        ? await db.product.findMany({
            where: rest,
            include: withCategory,
            orderBy: orderBy.name,
            skip: Math.max(0, skip - firstCount),
            take: input.pageSize - fromFirst.length,
          })
        : [];
    rows = [...fromFirst, ...fromRest];
  } else {
    rows = await db.product.findMany({
      where: all,
      include: withCategory,
      orderBy: orderBy[input.sort],
      skip,
      take: input.pageSize,
    });
  }
  return { items: rows.map(toSummary), total, page: input.page, pageSize: input.pageSize, pageCount };
}
