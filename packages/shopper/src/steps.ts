/**
 * The steps of a shopper's visit, each the way a storefront page calls the BFF: the home page, a
 * search, a product page (product and stock badge in one batch), the cart, sign-up, and checkout
 * with a test card. The soak's visit and the load generator's journeys are made of these steps, so
 * both shop as a browser does.
 *
 * A checkout whose answer was lost (a timeout, a 502/503/504, a reset connection) or is still
 * pending is sent again with the same checkout key, as the checkout page does, until the shopper
 * has seen a definite outcome (paid, declined, refused) or the follow-up bound passes: one attempt,
 * one key, at most one order.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { BffClient, type BffClientOptions, type CallResult } from "./bff-client";

/** Cards the payment service knows (apps/services/payment/src/test-cards.ts): approved, and declined. */
export const testCards = { success: "4242 4242 4242 4242", declined: "4000 0000 0000 0002" } as const;
export type TestCard = keyof typeof testCards;

export const shopperPassword = "correct horse battery staple";
export const searchTerms = ["kettle", "mug", "lamp", "notebook", "tent", "linen", "oak", "wool", "speaker", "pen"] as const;
export const categorySlugs = ["kitchen", "home", "outdoors", "stationery", "audio", "apparel"] as const;

/** What a product page needs of a product: the seed catalog's products fit. */
export interface ProductRef {
  readonly id: string;
  readonly slug: string;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A made-up address, so that shoppers behind a trusted proxy share none (see BffClientOptions). */
export function randomClientAddress(random: () => number): string {
  return `10.${1 + Math.floor(random() * 250)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}`;
}

/** A new visitor: an empty cookie jar and an address of its own. */
export function newShopper(options: Omit<BffClientOptions, "clientAddress">, random: () => number): BffClient {
  return new BffClient({ ...options, clientAddress: randomClientAddress(random) });
}

/** The home page: featured products and the category menu in one batch. */
export function homePage(client: BffClient): Promise<CallResult[]> {
  return client.batch([{ path: "catalog.featured", input: { limit: 8 } }, { path: "catalog.categories" }]);
}

export interface SearchPage {
  readonly items: readonly ProductRef[];
  readonly total: number;
}

export function searchFor(client: BffClient, q: string): Promise<CallResult<SearchPage>> {
  return client.query("catalog.search", { q, page: 1, pageSize: 12 });
}

export function categoryPage(client: BffClient, categorySlug: string): Promise<CallResult<SearchPage>> {
  return client.query("catalog.search", { categorySlug, page: 1, pageSize: 12, sort: "price-asc" });
}

/** Where a visit begins: the home page for half the visitors, else a search or a category. */
export async function land(client: BffClient, random: () => number): Promise<CallResult[]> {
  const landing = random();
  if (landing < 0.5) return homePage(client);
  if (landing < 0.75) return [await searchFor(client, pick(searchTerms, random))];
  return [await categoryPage(client, pick(categorySlugs, random))];
}

interface StockBadge {
  readonly status?: string;
}

export interface ProductPage {
  readonly page: CallResult;
  readonly stock: CallResult;
  /** The page showed and its badge does not say sold out (a stock the store could not read still sells). */
  readonly inStock: boolean;
}

export async function viewProduct(client: BffClient, product: ProductRef): Promise<ProductPage> {
  const [page, stock] = (await client.batch([
    { path: "catalog.bySlug", input: { slug: product.slug } },
    { path: "stock.forProduct", input: { productId: product.id } },
  ])) as [CallResult, CallResult];
  const badge = stock.ok ? (stock.data as StockBadge) : undefined;
  return { page, stock, inStock: page.ok && badge?.status !== "out_of_stock" };
}

export interface CartView {
  readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
  readonly itemCount: number;
}

export function viewCart(client: BffClient): Promise<CallResult<CartView>> {
  return client.query("cart.get");
}

export function addToCart(client: BffClient, productId: string, quantity: number): Promise<CallResult<CartView>> {
  return client.mutate("cart.add", { productId, quantity });
}

export function removeFromCart(client: BffClient, productId: string): Promise<CallResult<CartView>> {
  return client.mutate("cart.remove", { productId });
}

/** A new account; its session cookie stays in the client's jar, and the visitor's cart joins it. */
export function signUp(client: BffClient, account: { readonly name: string; readonly email: string }): Promise<CallResult> {
  return client.mutate("account.signUp", { ...account, password: shopperPassword });
}

/** The confirmation page after a paid order: the orders and the inbox with its email. */
export function viewOrdersAndInbox(client: BffClient): Promise<CallResult[]> {
  return client.batch([{ path: "orders.list" }, { path: "inbox.list" }]);
}

export type CheckoutAnswer = CallResult<{ status: string }>;

/**
 * How a checkout ended: paid; declined (the card was refused, as asked of a declined card);
 * refused (another definite no: sold out, an invalid card); "pending" (the order was still midway
 * when the shopper stopped following it) and "failed" (never an answer) leave the shopper not knowing.
 */
export type CheckoutOutcome = "paid" | "pending" | "declined" | "refused" | "failed";

export interface CheckoutOptions {
  /** Made once per attempt, before the first send, and never again. */
  readonly checkoutKey: string;
  readonly card: TestCard;
  readonly holderName: string;
  readonly random: () => number;
  /** How long the shopper keeps following an attempt it has no definite answer for. */
  readonly followMs: number;
  /** Stops following (the caller is going away); the last answer is returned. */
  readonly signal?: AbortSignal;
}

/** Places the cart as an order, sending again with the same key until the answer is definite. */
export async function placeOrder(client: BffClient, options: CheckoutOptions): Promise<CheckoutAnswer> {
  const { checkoutKey, card, holderName, random } = options;
  const startedAt = Date.now();
  let result: CheckoutAnswer | undefined;
  // A new key after a lost answer would be a second order while the first one's saga finishes on its own.
  do {
    if (result) {
      try {
        await sleep(1_000 + random() * 1_000, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch {
        return result;
      }
    }
    result = await client.mutate<{ status: string }>("checkout.place", {
      checkoutKey,
      shippingAddress: { name: holderName, line1: "1 Load Street", city: "Testville", postalCode: "12345", country: "US" },
      card: { number: testCards[card], expMonth: 12, expYear: 2040, cvc: "123", holderName },
    });
  } while (!isDefinite(result) && Date.now() - startedAt < options.followMs);
  return result;
}

/** Paid, or an answer that says no (declined, refused): a lost answer or an order midway is not. */
function isDefinite(result: CheckoutAnswer): boolean {
  if (result.ok) return result.data.status === "paid" || result.data.status === "failed";
  return result.outcome === "refused";
}

export function checkoutOutcome(result: CheckoutAnswer | undefined): CheckoutOutcome {
  if (!result) return "failed";
  if (result.ok) return result.data.status === "paid" ? "paid" : "pending";
  if (result.code === "PAYMENT_REQUIRED") return "declined";
  return result.outcome === "refused" ? "refused" : "failed";
}
