import { afterEach, describe, expect, it } from "vitest";
import { checkDataDir, type CheckResult } from "./checker";
import {
  confirmationDeliveredOnce,
  everyOrderSettled,
  moneyMatchesOrders,
  oneOrderPerCheckoutAttempt,
  oneConfirmationPerPaidOrder,
  reservationsFollowOrders,
  stockMatchesCommitments,
  type Facts,
  type Invariant,
} from "./checks";
import {
  createHandMadeStack,
  insertEmail,
  insertOrder,
  insertOutbox,
  insertPayment,
  insertRefund,
  insertReservation,
  insertStock,
  type HandMadeStack,
} from "./test-databases";

const facts: Facts = {
  initialStock: new Map([
    ["kettle", 10],
    ["mug", 2],
  ]),
};
const kettle = { quantity: 2, unitPriceMinor: 4_900 };
const mug = { quantity: 1, unitPriceMinor: 1_800 };
let stacks: HandMadeStack[] = [];

afterEach(() => {
  for (const stack of stacks) stack.remove();
  stacks = [];
});

/**
 * A store after a clean run: one paid order (kettle×2, committed, charged once, confirmed), one
 * declined order (stock released, nothing kept) and one whose hold was lost after the charge
 * (charged, refunded in full, released).
 */
function healthyStore(options: { withoutOversellGuard?: boolean; emails?: Record<string, string> } = {}): HandMadeStack {
  const stack = createHandMadeStack(options);
  stacks.push(stack);
  const email = (orderId: string) => (options.emails?.[orderId] ? { email: options.emails[orderId] } : {});
  const paidTotal = insertOrder(stack, {
    id: "o-paid",
    status: "paid",
    lines: { kettle },
    paymentId: "pay-1",
    emailStatus: "sent",
    ...email("o-paid"),
  });
  insertReservation(stack, "o-paid", "committed", { kettle: 2 });
  insertPayment(stack, { id: "pay-1", key: "o-paid", amountMinor: paidTotal, status: "succeeded" });
  insertOutbox(stack, "o-paid", "done");
  insertEmail(stack, "order-confirmation:o-paid", "sent");
  insertEmail(stack, "welcome:u1", "sent", "welcome");

  insertOrder(stack, { id: "o-declined", status: "failed", lines: { mug }, ...email("o-declined") });
  insertReservation(stack, "o-declined", "released", { mug: 1 });
  insertPayment(stack, { id: "pay-2", key: "o-declined", amountMinor: 1_800, status: "declined" });

  const lostTotal = insertOrder(stack, { id: "o-lost", status: "failed", lines: { mug }, ...email("o-lost") });
  insertReservation(stack, "o-lost", "expired", { mug: 1 });
  insertPayment(stack, { id: "pay-3", key: "o-lost", amountMinor: lostTotal, status: "succeeded", refundedMinor: lostTotal });
  insertRefund(stack, "pay-3", lostTotal);

  insertStock(stack, "kettle", 8);
  insertStock(stack, "mug", 2);
  return stack;
}

function check(stack: HandMadeStack, extra: Partial<Facts> = {}): CheckResult[] {
  stack.close();
  return checkDataDir(stack.dataDir, { ...facts, ...extra });
}

const confirmationId = "em-order-confirmation:o-paid";

/** What the shoppers and the SMTP sink of the healthy store saw: every attempt definite, each mail once. */
function healthyFacts(): Partial<Facts> {
  return {
    checkoutAttempts: [
      { checkoutKey: "key-o-paid", email: "paid@example.com", outcome: "paid" },
      { checkoutKey: "key-o-declined", email: "declined@example.com", outcome: "declined" },
      { checkoutKey: "key-never-placed", email: "refused@example.com", outcome: "refused" },
    ],
    // insertEmail names each email `em-<idempotency key>`.
    smtpDeliveries: new Map([[confirmationId, 1]]),
  };
}

function violationsOf(results: CheckResult[], invariant: Invariant): readonly string[] {
  const result = results.find((candidate) => candidate.name === invariant.name);
  if (!result) throw new Error(`no result for ${invariant.name}`);
  return result.violations;
}

/** Every invariant but `invariant` still holds: each test breaks exactly one thing. */
function onlyBroken(results: CheckResult[], invariant: Invariant): readonly string[] {
  expect(results.filter((result) => result.name !== invariant.name && result.violations.length > 0)).toEqual([]);
  return violationsOf(results, invariant);
}

describe("the invariant checker", () => {
  it("finds nothing wrong with a store that settled cleanly", () => {
    const results = check(healthyStore());
    expect(results.map((result) => result.violations)).toEqual(results.map(() => []));
    expect(results).toHaveLength(7);
  });

  it("finds nothing wrong with the shoppers' attempts and SMTP deliveries of a clean run", () => {
    const stack = healthyStore({
      emails: { "o-paid": "paid@example.com", "o-declined": "declined@example.com", "o-lost": "lost@example.com" },
    });
    expect(check(stack, healthyFacts()).filter((result) => result.violations.length > 0)).toEqual([]);
  });

  it("catches a second order for one checkout attempt (a new key on a retry) and an attempt shown paid that is not; an attempt that never learned its outcome is no violation", () => {
    const stack = healthyStore({
      emails: { "o-paid": "paid@example.com", "o-declined": "declined@example.com", "o-lost": "lost@example.com" },
    });
    insertOrder(stack, { id: "o-again", status: "failed", lines: { mug }, checkoutKey: "key-retry", email: "paid@example.com" });
    insertReservation(stack, "o-again", "released", { mug: 1 });
    const known = healthyFacts();
    const attempts = [
      ...(known.checkoutAttempts ?? []),
      { checkoutKey: "key-o-lost", email: "lost@example.com", outcome: "failed" as const },
      { checkoutKey: "key-shown-paid", email: "nobody@example.com", outcome: "paid" as const },
    ];
    expect(onlyBroken(check(stack, { ...known, checkoutAttempts: attempts }), oneOrderPerCheckoutAttempt)).toEqual([
      "checkout key-o-paid (paid@example.com) made 2 orders: o-paid under key key-o-paid, o-again under key key-retry",
      "order o-again of paid@example.com is under key key-retry, not its attempt's key-o-paid",
      "checkout key-shown-paid (nobody@example.com) was shown as paid, but has no paid order",
    ]);
  });

  it("catches a confirmation delivered twice over SMTP, one never delivered, and another email sent twice", () => {
    const stack = healthyStore();
    const deliveries = new Map([
      [confirmationId, 2],
      ["em-welcome:u1", 3],
    ]);
    expect(onlyBroken(check(stack, { smtpDeliveries: deliveries }), confirmationDeliveredOnce)).toEqual([
      `paid order o-paid's confirmation (email ${confirmationId}) was delivered 2 times`,
      "email em-welcome:u1 was delivered 3 times",
    ]);
    expect(onlyBroken(check(stack, { smtpDeliveries: new Map() }), confirmationDeliveredOnce)).toEqual([
      `paid order o-paid's confirmation (email ${confirmationId}) was delivered 0 times`,
    ]);
  });

  it("catches an order left midway through its saga", () => {
    const stack = healthyStore();
    insertOrder(stack, { id: "o-stuck", status: "charging", lines: { mug } });
    expect(onlyBroken(check(stack), everyOrderSettled)).toEqual([
      'order o-stuck is still "charging" (last change 2026-11-24T12:00:00.000Z)',
    ]);
  });

  it("catches stock that does not match initial stock minus what was committed", () => {
    const stack = healthyStore();
    stack.db.inventory.prepare(`UPDATE "StockItem" SET onHand = 9 WHERE productId = 'kettle'`).run();
    expect(onlyBroken(check(stack), stockMatchesCommitments)).toEqual(["kettle has 9 on hand, but 10 initial - 2 committed = 8"]);
  });

  it("catches negative stock (in a schema without the database's own guard)", () => {
    const stack = healthyStore({ withoutOversellGuard: true });
    stack.db.inventory.prepare(`UPDATE "StockItem" SET reserved = 3 WHERE productId = 'mug'`).run();
    insertOrder(stack, { id: "o-over", status: "charging", lines: { mug: { quantity: 3, unitPriceMinor: 1_800 } } });
    insertReservation(stack, "o-over", "held", { mug: 3 });
    stack.db.inventory.prepare(`UPDATE "StockItem" SET onHand = -1, reserved = 0 WHERE productId = 'mug'`).run();
    const violations = violationsOf(check(stack), stockMatchesCommitments);
    expect(violations).toContain("mug is negative: onHand -1, reserved 0");
  });

  it("catches stock still held for an order that settled", () => {
    const stack = healthyStore();
    insertReservation(stack, "o-declined-2", "held", { kettle: 1 });
    stack.db.inventory.prepare(`UPDATE "StockItem" SET reserved = 1 WHERE productId = 'kettle'`).run();
    expect(onlyBroken(check(stack), stockMatchesCommitments)).toEqual([
      "reservation of order o-declined-2 is still held after every order settled",
    ]);
  });

  it("catches a paid order whose stock was never committed", () => {
    const stack = healthyStore();
    stack.db.inventory.prepare(`UPDATE "Reservation" SET status = 'released' WHERE orderId = 'o-paid'`).run();
    stack.db.inventory.prepare(`UPDATE "StockItem" SET onHand = 10 WHERE productId = 'kettle'`).run();
    expect(onlyBroken(check(stack), reservationsFollowOrders)).toEqual(["paid order o-paid has a released reservation"]);
  });

  it("catches a charge that landed after the saga gave up: a failed order that kept the money", () => {
    const stack = healthyStore();
    insertOrder(stack, { id: "o-late", status: "failed", lines: { mug } });
    insertReservation(stack, "o-late", "released", { mug: 1 });
    insertPayment(stack, { id: "pay-late", key: "o-late", amountMinor: 1_800, status: "succeeded" });
    expect(onlyBroken(check(stack), moneyMatchesOrders)).toEqual([
      "failed order o-late kept 1800 of the shopper's money",
      "charged 13400 - refunded 1800 = 11600, but paid orders total 9800",
    ]);
  });

  it("catches an order charged twice, even under two idempotency keys", () => {
    const stack = healthyStore();
    insertPayment(stack, {
      id: "pay-again",
      key: "retry-o-paid",
      amountMinor: 9_800,
      status: "succeeded",
      description: "Microshop order o-paid",
    });
    expect(onlyBroken(check(stack), moneyMatchesOrders)).toEqual([
      "order o-paid was charged 2 times (pay-1, pay-again)",
      "paid order o-paid totals 9800 but 19600 was kept",
      "charged 21400 - refunded 1800 = 19600, but paid orders total 9800",
    ]);
  });

  it("catches money taken for no order, a payment left processing and refunds that do not add up", () => {
    const stack = healthyStore();
    insertPayment(stack, {
      id: "pay-orphan",
      key: "nobody",
      amountMinor: 500,
      status: "succeeded",
      description: "something else",
    });
    insertPayment(stack, {
      id: "pay-stuck",
      key: "nobody-2",
      amountMinor: 700,
      status: "processing",
      description: "something else",
    });
    stack.db.payment.prepare(`UPDATE "Payment" SET refundedMinor = 1000 WHERE id = 'pay-3'`).run();
    expect(onlyBroken(check(stack), moneyMatchesOrders)).toEqual([
      "payment pay-3 says 1000 refunded, its refunds add up to 1800",
      "payment pay-stuck is still processing",
      "payment pay-orphan (key nobody) charged 500 for no order",
      // The payment's own refunded total disagrees with its refunds, so the order looks short too.
      "failed order o-lost kept 800 of the shopper's money",
      "charged 12100 - refunded 1800 = 10300, but paid orders total 9800",
    ]);
  });

  it("catches a paid order without its confirmation, one not sent, and one for a failed order", () => {
    const stack = healthyStore();
    const total = insertOrder(stack, { id: "o-quiet", status: "paid", lines: { mug }, paymentId: "pay-q" });
    insertReservation(stack, "o-quiet", "committed", { mug: 1 });
    stack.db.inventory.prepare(`UPDATE "StockItem" SET onHand = 1 WHERE productId = 'mug'`).run();
    insertPayment(stack, { id: "pay-q", key: "o-quiet", amountMinor: total, status: "succeeded" });
    insertOutbox(stack, "o-quiet", "pending");
    stack.db.email
      .prepare(`UPDATE "EmailMessage" SET status = 'queued' WHERE idempotencyKey = 'order-confirmation:o-paid'`)
      .run();
    insertEmail(stack, "order-confirmation:o-declined", "sent");
    expect(onlyBroken(check(stack), oneConfirmationPerPaidOrder)).toEqual([
      `paid order o-paid's confirmation is "queued", not sent`,
      "failed order o-declined has a confirmation email",
      "paid order o-quiet has no confirmation email",
      "order o-quiet's confirmation-email is still pending in the order outbox after 1 attempts",
    ]);
  });
});
