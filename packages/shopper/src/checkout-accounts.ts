/**
 * Signed-in shoppers kept for the load's checkouts. A checkout needs an account, and the user
 * service allows 20 sign-ups an hour per client address: behind a storefront that trusts no proxy
 * (TRUSTED_PROXY_HOPS=0, the local default) every load shopper is 127.0.0.1, so an account per
 * checkout would stop checkouts after twenty. A checkout borrows a signed-in shopper no other
 * checkout is using (its cart is its own for the journey), signs one up only when all are busy,
 * and gives it back: the accounts number at most the checkouts ever in flight at once. The order
 * service lets one account place 10 checkouts an hour, so an account is retired after
 * `CHECKOUTS_PER_ACCOUNT` and the next checkout signs up a new one (each load shopper has an
 * address of its own, so sign-ups are limited per shopper, not for the whole generator).
 */
import type { BffClient } from "./bff-client";

/** Below the order service's default of 10 checkouts an hour per account. */
export const CHECKOUTS_PER_ACCOUNT = 8;

export class CheckoutAccounts {
  private readonly idle: BffClient[] = [];
  private readonly checkouts = new WeakMap<BffClient, number>();

  /** A signed-in shopper for one checkout, or undefined when every one is in use. */
  borrow(): BffClient | undefined {
    return this.idle.pop();
  }

  /** Back for the next checkout, unless it has placed as many as an account may. */
  giveBack(shopper: BffClient): void {
    const placed = (this.checkouts.get(shopper) ?? 0) + 1;
    this.checkouts.set(shopper, placed);
    if (placed < CHECKOUTS_PER_ACCOUNT) this.idle.push(shopper);
  }

  get idleCount(): number {
    return this.idle.length;
  }
}
