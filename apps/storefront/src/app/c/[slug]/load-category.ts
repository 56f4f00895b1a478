import { getQueryClient, load, trpc } from "~/trpc/server";

/** The category of `/c/[slug]`; the layout, the page and the metadata share one fetch per request. */
export function loadCategory(slug: string) {
  return load(() => getQueryClient().fetchQuery(trpc.catalog.category.queryOptions({ slug })));
}
