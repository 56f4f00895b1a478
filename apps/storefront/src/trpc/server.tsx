import "server-only";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { isOutageCode } from "@microshop/service-client/errors";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import type { CatalogRead } from "~/server/catalog-cache";
import { createQueryClient } from "./query-client";

/** One query client per request, shared by every server component of that request. */
export const getQueryClient = cache(createQueryClient);

const createContext = cache(async () => {
  const heads = new Headers(await headers());
  heads.set("x-trpc-source", "rsc");
  return createTRPCContext({ headers: heads });
});

/** Server components prefetch through the BFF router in-process, with no HTTP hop to ourselves. */
export const trpc = createTRPCOptionsProxy({
  router: appRouter,
  ctx: createContext,
  queryClient: getQueryClient,
});

/** Hands what the server prefetched to the client components below it. */
export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

export type Loaded<T> = { readonly ok: true; readonly data: T } | { readonly ok: false };

/**
 * Runs a server-side fetch for a page. NOT_FOUND becomes the real 404 page; an outage of a service
 * comes back as `{ ok: false }` so the page can say so in its own words; anything else is a bug and
 * reaches the nearest error boundary.
 */
export async function load<T>(fetch: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await fetch() };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    // Our own INTERNAL_SERVER_ERROR is a bug of this BFF, for the error boundary: a service's was
    // already restated as SERVICE_UNAVAILABLE by `downstreamProcedure`.
    if (error instanceof TRPCError && isOutageCode(error.code) && error.code !== "INTERNAL_SERVER_ERROR") {
      console.warn(`page degraded (${error.code}): ${error.message}`);
      return { ok: false };
    }
    throw error;
  }
}

/** A cached catalog read for a page, with `load`'s outcomes: an unknown slug is the 404 page, an outage `{ ok: false }`. */
export async function loadCatalog<T>(reading: () => Promise<CatalogRead<T>>): Promise<Loaded<T>> {
  const result = await load(reading);
  if (!result.ok) return result;
  if (!result.data.ok) notFound();
  return { ok: true, data: result.data.data };
}
