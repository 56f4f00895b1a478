import { z } from "zod";

/** The orders the product service can sort a listing by. */
export const sortOptions = ["relevance", "price-asc", "price-desc", "name", "newest"] as const;
export type SortOption = (typeof sortOptions)[number];

/** Shopper-facing names of the sort orders; "relevance" reads differently in a category and in search. */
export function sortLabels(context: "search" | "category"): Record<SortOption, string> {
  return {
    relevance: context === "search" ? "Best match" : "Featured",
    "price-asc": "Price: low to high",
    "price-desc": "Price: high to low",
    name: "Name: A to Z",
    newest: "Newest",
  };
}

const first = (value: unknown) => (Array.isArray(value) ? (value[0] as unknown) : value);

// Addresses are typed by people and shared around: a bad value falls back to the default instead of failing.
const listingParamsSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(200).catch("")).optional().default(""),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(10_000).catch(1)).optional().default(1),
  sort: z.preprocess(first, z.enum(sortOptions).catch("relevance")).optional().default("relevance"),
});

export type ListingParams = z.infer<typeof listingParamsSchema>;

export function parseListingParams(searchParams: Record<string, string | string[] | undefined>): ListingParams {
  return listingParamsSchema.parse(searchParams);
}

/** The address of a listing with some parameters changed; defaults are left out to keep links short. */
export function listingHref(path: string, params: ListingParams, changes: Partial<ListingParams> = {}): string {
  const next = { ...params, ...changes };
  const query = new URLSearchParams();
  if (next.q) query.set("q", next.q);
  if (next.sort !== "relevance") query.set("sort", next.sort);
  if (next.page > 1) query.set("page", String(next.page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
