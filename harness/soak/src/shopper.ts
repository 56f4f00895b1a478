/**
 * One simulated shopper's visit, the way the storefront's pages call the BFF: the home page or a
 * search, a product page or two (product and stock badge in one batch), add to cart, and for most
 * visitors sign-up and checkout with a test card. A checkout whose answer was lost (a timeout, a
 * 502/503/504, a reset connection) or is still pending is sent again with the same checkout key, as
 * the checkout page does, until the shopper has seen a definite outcome (paid, declined, refused) or
 * the follow-up bound passes: one attempt, one key, at most one order.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { products } from "@microshop/seed-data/catalog";
import { BffClient, type CallResult } from "./bff-client";
import type { RequestLog } from "./request-log";

export const testCards = { success: "4242 4242 4242 4242", declined: "4000 0000 0000 0002" } as const;

/**
 * How a journey's checkout ended, for the recovery figures (a paid order is a successful checkout)
 * and for the checker: "pending" (the order was still midway) and "failed" (never an answer) are
 * the shopper left not knowing, which the report counts.
 */
export interface CheckoutAttempt {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: "paid" | "pending" | "declined" | "refused" | "failed";
  readonly card: keyof typeof testCards;
  /** The one key every send of this attempt carried. */
  readonly checkoutKey: string;
  /** The shopper's account, new for this journey: its orders are this attempt's orders. */
  readonly email: string;
}

export interface JourneyOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly log: RequestLog;
  readonly random: () => number;
  readonly onCheckoutStart: () => void;
  readonly onCheckout: (attempt: CheckoutAttempt) => void;
}

const searchTerms = ["kettle", "mug", "lamp", "notebook", "tent", "linen", "oak", "wool", "speaker", "pen"];
const categorySlugs = ["kitchen", "home", "outdoors", "stationery", "audio", "apparel"];
/** Shares of visitors: most browse and buy, some only browse; a few buy with a card that is declined. */
const buyShare = 0.65;
const declinedShare = 0.12;
/** How long a shopper keeps following a checkout it has no definite answer for (kills last seconds). */
const followCheckoutMs = 45_000;

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

interface StockBadge {
  readonly status?: string;
}

export async function runJourney(options: JourneyOptions): Promise<void> {
  const { random } = options;
  const clientAddress = `10.${1 + Math.floor(random() * 250)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}`;
  const client = new BffClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, log: options.log, clientAddress });

  // Landing: the home page's featured products and the category menu in one batch, or a search.
  const landing = random();
  if (landing < 0.5) await client.batch([{ path: "catalog.featured", input: { limit: 8 } }, { path: "catalog.categories" }]);
  else if (landing < 0.75) await client.query("catalog.search", { q: pick(searchTerms, random), page: 1, pageSize: 12 });
  else
    await client.query("catalog.search", { categorySlug: pick(categorySlugs, random), page: 1, pageSize: 12, sort: "price-asc" });

  // A product page or two; the shopper buys the last one seen that is in stock.
  let chosen: (typeof products)[number] | undefined;
  const views = 1 + Math.floor(random() * 2);
  for (let view = 0; view < views; view++) {
    const product = pick(products, random);
    const [page, stock] = await client.batch([
      { path: "catalog.bySlug", input: { slug: product.slug } },
      { path: "stock.forProduct", input: { productId: product.id } },
    ]);
    const badge = stock?.ok ? (stock.data as StockBadge) : undefined;
    if (page?.ok && badge?.status !== "out_of_stock") chosen = product;
  }
  if (!chosen) return;
  const added = await client.mutate("cart.add", { productId: chosen.id, quantity: random() < 0.8 ? 1 : 2 });
  if (!added.ok || random() >= buyShare) return;

  const email = `soak-${randomUUID()}@example.com`;
  const signedUp = await client.mutate("account.signUp", {
    name: "Soak Shopper",
    email,
    password: "correct horse battery staple",
  });
  if (!signedUp.ok) return;
  const cart = await client.query<{ itemCount: number }>("cart.get");
  if (!cart.ok || cart.data.itemCount === 0) return;

  const card = random() < declinedShare ? "declined" : "success";
  const checkoutKey = `soak_${randomUUID()}`;
  const startedAt = Date.now();
  options.onCheckoutStart();
  let result: CallResult<{ status: string }> | undefined;
  try {
    // The key is made once, before the first send, and never again: a new key after a lost answer
    // is a second order while the first one's saga finishes on its own.
    do {
      if (result) await sleep(1_000 + random() * 1_000);
      result = await client.mutate<{ status: string }>("checkout.place", {
        checkoutKey,
        shippingAddress: { name: "Soak Shopper", line1: "1 Load Street", city: "Testville", postalCode: "12345", country: "US" },
        card: { number: testCards[card], expMonth: 12, expYear: 2040, cvc: "123", holderName: "Soak Shopper" },
      });
    } while (!isDefinite(result) && Date.now() - startedAt < followCheckoutMs);
  } finally {
    options.onCheckout({ startedAt, endedAt: Date.now(), outcome: checkoutOutcome(result), card, checkoutKey, email });
  }

  if (result?.ok) await client.batch([{ path: "orders.list" }, { path: "inbox.list" }]);
}

/** Paid, or an answer that says no (declined, refused): a lost answer or an order midway is not. */
function isDefinite(result: CallResult<{ status: string }>): boolean {
  if (result.ok) return result.data.status === "paid" || result.data.status === "failed";
  return result.outcome === "refused";
}

function checkoutOutcome(result: CallResult<{ status: string }> | undefined): CheckoutAttempt["outcome"] {
  if (!result) return "failed";
  if (result.ok) return result.data.status === "paid" ? "paid" : "pending";
  if (result.code === "PAYMENT_REQUIRED") return "declined";
  return result.outcome === "refused" ? "refused" : "failed";
}
