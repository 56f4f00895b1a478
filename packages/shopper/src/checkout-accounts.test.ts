import { describe, expect, it } from "vitest";
import type { BffClient } from "./bff-client";
import { CHECKOUTS_PER_ACCOUNT, CheckoutAccounts } from "./checkout-accounts";

describe("CheckoutAccounts", () => {
  it("lends an account again until it has placed as many checkouts as an account may", () => {
    const accounts = new CheckoutAccounts();
    const shopper = {} as BffClient;
    let lent = 0;
    for (let turn = 0; turn < CHECKOUTS_PER_ACCOUNT + 3; turn++) {
      const borrowed = accounts.borrow() ?? (turn === 0 ? shopper : undefined);
      if (!borrowed) break;
      lent++;
      accounts.giveBack(borrowed);
    }
    expect(lent).toBe(CHECKOUTS_PER_ACCOUNT);
    expect(accounts.idleCount).toBe(0);
  });
});
