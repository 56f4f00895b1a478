import { transformer } from "@microshop/transformer";

/** The BFF's stock procedure: asked on its own (not batched), so a page can start it early. */
export const stockPath = "stock.forProduct";

/**
 * The URL the browser's tRPC client asks a product's stock at (its `httpLink`: GET, the input as
 * tRPC puts it in the query string). A kept product page preloads exactly this URL from its HTML,
 * so the stock is on its way while the page's scripts load, and the badge's query takes the
 * preloaded answer instead of asking again.
 */
export function stockQueryUrl(productId: string): string {
  return `/api/trpc/${stockPath}?input=${encodeURIComponent(JSON.stringify(transformer.serialize({ productId })))}`;
}
