/**
 * The catalog as the product, category, home and search pages read it: through Next.js's data cache,
 * so a page seen once renders again without calling the product service. That call and the product
 * service's own work were most of a page's cost (issue #12); the catalog changes seldom, and stock,
 * which does change, is never read here (the badge asks the BFF from the browser, every 5 s).
 *
 * Why `unstable_cache` and not `"use cache"`: cache components (`cacheComponents: true`) send a
 * dynamic route's prerendered shell before `notFound()` is known, so an unknown product answers
 * 200 instead of 404 (vercel/next.js#98518, fix pending in #95561; tried here: /p/<unknown> answered
 * 200, which e2e/tests/not-found.spec.ts refuses), and the per-request CSP nonce of every page
 * keeps them rendered per request anyway.
 * `unstable_cache` is the same cache and the same tags (`revalidateTag`) without that switch; moving
 * to `"use cache"` + `cacheTag` + `cacheLife` is a rename once the fix ships.
 *
 * - Tags: every entry carries `catalog`; a product's page also `product:<slug>`, so an edit of one
 *   product can refresh its page with `revalidateTag` from wherever that edit is made. The product
 *   service has no edit today, so entries are refreshed on a schedule (`CATALOG_CACHE_SECONDS`).
 * - Failures: an unknown slug is an answer like any other and is cached (a made-up URL must not reach
 *   the service each time); an outage is thrown, never cached, so a page recovers with its service.
 * - Memory only (`isrFlushToDisk: false` in next.config.ts): entries live in Next.js's bounded LRU,
 *   per process, and start empty after a restart or a deploy.
 * - `PAGE_CACHE=off` reads the catalog per request as before: the bench's baseline.
 */
import "server-only";

import { TRPCError } from "@trpc/server";
import { unstable_cache } from "next/cache";
import { cache } from "react";
import { env } from "~/env";
import { createCaller } from "./api/root";
import { createTRPCContext } from "./api/trpc";

/** What a page gets: the data, or "no such thing" (an outage is thrown, as a `TRPCError`). */
export type CatalogRead<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly reason: "not-found" };

/** Every cached catalog entry: `revalidateTag(catalogTag)` refreshes them all. */
export const catalogTag = "catalog";

/** The entries showing one product (its page); a product edit revalidates this and `catalogTag`. */
export function productTag(slug: string): string {
  return `product:${slug}`;
}

/**
 * The catalog is public: a cached read must not depend on who asked, so the caller has no request
 * headers (no cookie, no session) and can never be handed one shopper's data.
 */
function catalogCaller() {
  return createCaller(createTRPCContext({ headers: new Headers({ "x-trpc-source": "rsc-cache" }) })).catalog;
}

type Catalog = ReturnType<typeof catalogCaller>;
export type SearchInput = Parameters<Catalog["search"]>[0];

async function read<T>(fetch: (catalog: Catalog) => Promise<T>): Promise<CatalogRead<T>> {
  try {
    return { ok: true, data: await fetch(catalogCaller()) };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return { ok: false, reason: "not-found" };
    throw error;
  }
}

/** One catalog read, cached under `key` with `tags` unless the cache is switched off. */
function cached<T>(key: readonly string[], tags: readonly string[], fetch: (catalog: Catalog) => Promise<T>) {
  if (env.PAGE_CACHE === "off") return read(fetch);
  return unstable_cache(() => read(fetch), ["catalog", ...key], {
    tags: [catalogTag, ...tags],
    revalidate: env.CATALOG_CACHE_SECONDS,
  })();
}

// The layout, the page and the metadata of one request share one read (React's per-request `cache`),
// as they shared one query before: with the cache off the baseline makes the calls it always made.
export const readProduct = cache((slug: string) =>
  cached(["bySlug", slug], [productTag(slug)], (catalog) => catalog.bySlug({ slug })),
);

export const readCategory = cache((slug: string) => cached(["category", slug], [], (catalog) => catalog.category({ slug })));

export function readCategories() {
  return cached(["categories"], [], (catalog) => catalog.categories());
}

export function readFeatured(limit: number) {
  return cached(["featured", String(limit)], [], (catalog) => catalog.featured({ limit }));
}

export function readSearch(input: SearchInput) {
  // The key is the whole query, in a fixed order, so equal searches share one entry.
  const key = JSON.stringify([input.q ?? "", input.categorySlug ?? "", input.page, input.pageSize, input.sort]);
  return cached(["search", key], [], (catalog) => catalog.search(input));
}
