/** How a product's stock reads to a shopper: a small, stable vocabulary the UI styles and e2e tests match. */
export type StockState = "in_stock" | "low" | "out_of_stock" | "unavailable";

export interface StockStatus {
  readonly status: StockState;
  /** Units a shopper can still buy; null when the inventory service could not say. */
  readonly available: number | null;
  readonly label: string;
}

/** At or below this many units a product counts as running low. */
export const LOW_STOCK_THRESHOLD = 5;

export function stockStatus(available: number): StockStatus {
  if (available <= 0) return { status: "out_of_stock", available: 0, label: "Out of stock" };
  if (available <= LOW_STOCK_THRESHOLD) return { status: "low", available, label: `Only ${available} left` };
  return { status: "in_stock", available, label: "In stock" };
}

/** What the page shows when the inventory service is down or slow: browsing goes on without it. */
export const stockUnavailable: StockStatus = {
  status: "unavailable",
  available: null,
  label: "Stock unavailable",
};
