/**
 * The load generator's five journeys, each one short visit made of the soak's steps (steps.ts),
 * each ending in a verdict: succeeded, or failed with what the store answered. Every call must
 * succeed, except that a checkout paid with a declined card succeeds when the store declines it
 * cleanly (PAYMENT_REQUIRED) and fails if it is charged. A stock the store could not read
 * ("unavailable") is the page degrading as it should, not a failure.
 */
import { randomUUID } from "node:crypto";
import type { JourneyName } from "@microshop/lab";
import { fixtures, products } from "@microshop/seed-data/catalog";
import type { BffClient, CallResult } from "./bff-client";
import type { CheckoutAccounts } from "./checkout-accounts";
import {
  addToCart,
  categoryPage,
  categorySlugs,
  checkoutOutcome,
  homePage,
  pick,
  placeOrder,
  removeFromCart,
  searchFor,
  searchTerms,
  signUp,
  viewCart,
  viewProduct,
  type ProductRef,
} from "./steps";

export interface JourneyContext {
  /** A new visitor (fresh cookies, its own address), with the caller's headers and deadlines. */
  readonly newShopper: () => BffClient;
  readonly random: () => number;
  /** The share of checkouts paid with the declined test card. */
  readonly declineShare: number;
  readonly accounts: CheckoutAccounts;
  /** How long a checkout with no definite answer is followed (sent again with its key). */
  readonly followCheckoutMs: number;
  /** The caller is going away: a checkout stops following its order. */
  readonly signal?: AbortSignal;
}

export type JourneyResult = { readonly ok: true } | { readonly ok: false; readonly error: string };
export type Journey = (context: JourneyContext) => Promise<JourneyResult>;

const shopperName = "Load Shopper";
/** Product pages a checkout looks at for one in stock before it gives up. */
const productTries = 3;

class JourneyFailed extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

function hint(path: string, code: string): string {
  if (path === "account.signUp" && code === "TOO_MANY_REQUESTS")
    return " (the user service allows 20 sign-ups an hour per client address; a storefront that trusts no proxy sees every load shopper as one address)";
  return "";
}

/** The call's data, or the journey fails with what the store answered. */
function expectOk<T>(path: string, result: CallResult<T>): T {
  if (result.ok) return result.data;
  throw new JourneyFailed(`${path} answered ${result.code}: ${result.message}${hint(path, result.code)}`, result.code);
}

async function verdict(steps: () => Promise<void>): Promise<JourneyResult> {
  try {
    await steps();
    return { ok: true };
  } catch (error) {
    if (error instanceof JourneyFailed) return { ok: false, error: error.message };
    throw error;
  }
}

async function viewProductPage(shopper: BffClient, product: ProductRef): Promise<boolean> {
  const { page, stock, inStock } = await viewProduct(shopper, product);
  expectOk("catalog.bySlug", page);
  expectOk("stock.forProduct", stock);
  return inStock;
}

/** The home page, then a product page or two. */
export const browse: Journey = ({ newShopper, random }) =>
  verdict(async () => {
    const shopper = newShopper();
    const [featured, categories] = (await homePage(shopper)) as [CallResult, CallResult];
    expectOk("catalog.featured", featured);
    expectOk("catalog.categories", categories);
    const views = 1 + Math.floor(random() * 2);
    for (let view = 0; view < views; view++) await viewProductPage(shopper, pick(products, random));
  });

/** A search (or a category), then one of the products found. */
export const search: Journey = ({ newShopper, random }) =>
  verdict(async () => {
    const shopper = newShopper();
    const found =
      random() < 0.7
        ? expectOk("catalog.search", await searchFor(shopper, pick(searchTerms, random)))
        : expectOk("catalog.search", await categoryPage(shopper, pick(categorySlugs, random)));
    if (found.items.length > 0) await viewProductPage(shopper, pick(found.items, random));
  });

/** A product page, add to cart, the cart page, and a change of mind: the line is removed. */
export const cart: Journey = ({ newShopper, random }) =>
  verdict(async () => {
    const shopper = newShopper();
    const product = pick(products, random);
    await viewProductPage(shopper, product);
    const added = await addToCart(shopper, product.id, 1);
    // Sold out (the seed has such products, and the load buys stock): the store says so, as it should.
    if (!added.ok && added.code === "CONFLICT" && /out of stock/i.test(added.message)) return;
    expectOk("cart.add", added);
    const view = expectOk("cart.get", await viewCart(shopper));
    if (!view.lines.some((line) => line.productId === product.id))
      throw new JourneyFailed(`cart.get does not show ${product.slug} just added`);
    expectOk("cart.remove", await removeFromCart(shopper, product.id));
  });

/** A new account; the account menu then shows the shopper signed in. */
export const signUpJourney: Journey = ({ newShopper }) =>
  verdict(async () => {
    const shopper = newShopper();
    const email = `load-${randomUUID()}@example.com`;
    expectOk("account.signUp", await signUp(shopper, { name: shopperName, email }));
    const me = expectOk("account.me", await shopper.query<{ user: { email: string } | null }>("account.me"));
    if (me.user?.email !== email) throw new JourneyFailed("account.me does not show the shopper just signed up");
  });

/**
 * A signed-in shopper (borrowed, or signed up when none is free) empties what an earlier declined
 * checkout left in its cart, finds a product in stock, adds it and checks out with the accepted or
 * the declined card.
 */
export const checkout: Journey = (context) =>
  verdict(async () => {
    const { accounts } = context;
    let shopper = accounts.borrow();
    if (!shopper) {
      shopper = context.newShopper();
      expectOk("account.signUp", await signUp(shopper, { name: shopperName, email: `load-${randomUUID()}@example.com` }));
    }
    let signedIn = true;
    try {
      await checkOut(shopper, context);
    } catch (error) {
      if (error instanceof JourneyFailed && error.code === "UNAUTHORIZED") signedIn = false;
      throw error;
    } finally {
      if (signedIn) accounts.giveBack(shopper);
    }
  });

/**
 * What a load's checkout may buy: not the products whose stock the demos and the e2e suite count on
 * (the one in stock, the one with a last unit, ...), which a learner's load would otherwise sell out.
 */
export const buyable = products.filter((product) => !(Object.values(fixtures) as string[]).includes(product.slug));

async function checkOut(shopper: BffClient, { random, declineShare, followCheckoutMs, signal }: JourneyContext): Promise<void> {
  const left = expectOk("cart.get", await viewCart(shopper));
  for (const line of left.lines) expectOk("cart.remove", await removeFromCart(shopper, line.productId));
  let chosen: ProductRef | undefined;
  for (let tries = 0; tries < productTries && !chosen; tries++) {
    const product = pick(buyable, random);
    if (await viewProductPage(shopper, product)) chosen = product;
  }
  if (!chosen)
    throw new JourneyFailed(`none of ${productTries} products viewed was in stock (has the load bought the seeded stock?)`);
  expectOk("cart.add", await addToCart(shopper, chosen.id, 1));

  const card = random() < declineShare ? "declined" : "success";
  const answer = await placeOrder(shopper, {
    checkoutKey: `load_${randomUUID()}`,
    card,
    holderName: shopperName,
    random,
    followMs: followCheckoutMs,
    ...(signal ? { signal } : {}),
  });
  const outcome = checkoutOutcome(answer);
  const wanted = card === "declined" ? "declined" : "paid";
  if (outcome === wanted) return;
  const detail = answer.ok ? `order ${answer.data.status}` : `${answer.code}: ${answer.message}`;
  throw new JourneyFailed(
    `checkout.place with the ${card === "declined" ? "declined" : "accepted"} card ended ${outcome} (${detail})`,
    answer.ok ? null : answer.code,
  );
}

export const journeys: Readonly<Record<JourneyName, Journey>> = { browse, search, cart, signUp: signUpJourney, checkout };
