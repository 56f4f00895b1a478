/**
 * Signed-in shoppers kept for the load's checkouts. A checkout needs an account, and the user
 * service allows 20 sign-ups an hour per client address: behind a storefront that trusts no proxy
 * (TRUSTED_PROXY_HOPS=0, the local default) every load shopper is 127.0.0.1, so an account per
 * checkout would stop checkouts after twenty. A checkout borrows a signed-in shopper no other
 * checkout is using (its cart is its own for the journey), signs one up only when all are busy,
 * and gives it back: the accounts number at most the checkouts ever in flight at once.
 */
import type { BffClient } from "./bff-client";

export class CheckoutAccounts {
  private readonly idle: BffClient[] = [];

  /** A signed-in shopper for one checkout, or undefined when every one is in use. */
  borrow(): BffClient | undefined {
    return this.idle.pop();
  }

  /** Back for the next checkout; a shopper whose session ended is dropped instead. */
  giveBack(shopper: BffClient): void {
    this.idle.push(shopper);
  }

  get idleCount(): number {
    return this.idle.length;
  }
}
