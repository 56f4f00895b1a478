import { getQueryClient, load, trpc } from "~/trpc/server";

/** The product of `/p/[slug]`; the layout, the page and the metadata share one fetch per request. */
export function loadProduct(slug: string) {
  return load(() => getQueryClient().fetchQuery(trpc.catalog.bySlug.queryOptions({ slug })));
}
