/**
 * One simulated shopper's visit, made of the shared shopper steps (`@microshop/shopper/steps`):
 * the home page or a search, a product page or two (product and stock badge in one batch), add to
 * cart, and for most visitors sign-up and checkout with a test card. A checkout whose answer was
 * lost or is still pending is sent again with the same checkout key until the shopper has seen a
 * definite outcome or the follow-up bound passes: one attempt, one key, at most one order.
 */
import { randomUUID } from "node:crypto";
import { products } from "@microshop/seed-data/catalog";
import { BffClient, type RequestObserver } from "@microshop/shopper/bff-client";
import {
  addToCart,
  checkoutOutcome,
  land,
  pick,
  placeOrder,
  randomClientAddress,
  signUp,
  viewCart,
  viewOrdersAndInbox,
  viewProduct,
  type CheckoutAnswer,
  type CheckoutOutcome,
  type TestCard,
} from "@microshop/shopper/steps";

/**
 * How a journey's checkout ended, for the recovery figures (a paid order is a successful checkout)
 * and for the checker: "pending" (the order was still midway) and "failed" (never an answer) are
 * the shopper left not knowing, which the report counts.
 */
export interface CheckoutAttempt {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: CheckoutOutcome;
  readonly card: TestCard;
  /** The one key every send of this attempt carried. */
  readonly checkoutKey: string;
  /** The shopper's account, new for this journey: its orders are this attempt's orders. */
  readonly email: string;
}

export interface JourneyOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly log: RequestObserver;
  readonly random: () => number;
  readonly onCheckoutStart: () => void;
  readonly onCheckout: (attempt: CheckoutAttempt) => void;
}

/** Shares of visitors: most browse and buy, some only browse; a few buy with a card that is declined. */
const buyShare = 0.65;
const declinedShare = 0.12;
/** How long a shopper keeps following a checkout it has no definite answer for (kills last seconds). */
const followCheckoutMs = 45_000;

export async function runJourney(options: JourneyOptions): Promise<void> {
  const { random } = options;
  const clientAddress = randomClientAddress(random);
  const client = new BffClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, log: options.log, clientAddress });

  await land(client, random);

  // A product page or two; the shopper buys the last one seen that is in stock.
  let chosen: (typeof products)[number] | undefined;
  const views = 1 + Math.floor(random() * 2);
  for (let view = 0; view < views; view++) {
    const product = pick(products, random);
    if ((await viewProduct(client, product)).inStock) chosen = product;
  }
  if (!chosen) return;
  const added = await addToCart(client, chosen.id, random() < 0.8 ? 1 : 2);
  if (!added.ok || random() >= buyShare) return;

  const email = `soak-${randomUUID()}@example.com`;
  const signedUp = await signUp(client, { name: "Soak Shopper", email });
  if (!signedUp.ok) return;
  const cart = await viewCart(client);
  if (!cart.ok || cart.data.itemCount === 0) return;

  const card: TestCard = random() < declinedShare ? "declined" : "success";
  const checkoutKey = `soak_${randomUUID()}`;
  const startedAt = Date.now();
  options.onCheckoutStart();
  let result: CheckoutAnswer | undefined;
  try {
    result = await placeOrder(client, { checkoutKey, card, holderName: "Soak Shopper", random, followMs: followCheckoutMs });
  } finally {
    options.onCheckout({ startedAt, endedAt: Date.now(), outcome: checkoutOutcome(result), card, checkoutKey, email });
  }

  if (result.ok) await viewOrdersAndInbox(client);
}
