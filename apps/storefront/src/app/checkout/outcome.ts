/**
 * What the checkout page may conclude from an answer to Pay. A checkout key lives until the shopper
 * has seen a definite outcome for it: a new key for a mere lost answer would start a second order
 * (and a second charge) while the first one's saga finishes on its own.
 */
import { isOutage } from "@microshop/service-client/errors";

/**
 * True when a failed Pay may still have gone through: keep the key and follow the order. False for
 * a definite refusal (a declined card, invalid input, out of stock, an empty cart), after which the
 * next Pay is a new attempt.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  return isOutage(error);
}

export type OrderProgress = "paid" | "failed" | "settling";

/** Where a followed order stands; anything short of paid or failed is still settling. */
export function orderProgress(order: { readonly status: string }): OrderProgress {
  return order.status === "paid" || order.status === "failed" ? order.status : "settling";
}
