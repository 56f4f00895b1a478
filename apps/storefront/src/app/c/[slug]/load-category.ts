import { readCategory } from "~/server/catalog-cache";
import { loadCatalog } from "~/trpc/server";

/** The category of `/c/[slug]`, from the catalog cache; the layout, the page and the metadata share it. */
export function loadCategory(slug: string) {
  return loadCatalog(() => readCategory(slug));
}
