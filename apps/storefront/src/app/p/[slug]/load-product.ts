import { readProduct } from "~/server/catalog-cache";
import { loadCatalog } from "~/trpc/server";

/** The product of `/p/[slug]`, from the catalog cache; the layout, the page and the metadata share it. */
export function loadProduct(slug: string) {
  return loadCatalog(() => readProduct(slug));
}
