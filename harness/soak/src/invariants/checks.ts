/**
 * The invariants of the store, as pure functions of a database snapshot (and of what the soak's
 * shoppers and SMTP sink saw). Each returns the violations it found, one line each, naming the rows
 * involved; none means the invariant holds.
 *
 * Only checks that can fail belong here; a unique index already guarantees, and so nothing here checks:
 * - one payment per idempotency key (Payment.idempotencyKey is unique), and one refund per key;
 * - at most one confirmation email per order (EmailMessage.idempotencyKey is unique and is
 *   `order-confirmation:<orderId>`), so the check below looks for a missing one, not for two;
 * - one order per checkout key (Order.checkoutKey is unique): one order per checkout *attempt* is
 *   checked instead, since a shopper that makes a new key on a retry makes a second order;
 * - one outbox entry per order and kind (OrderOutbox @@unique), one reservation per order (its id).
 * Every check below can fail, and checker.test.ts shows each failing on a hand-made database.
 */
import type { PaymentRow, Snapshot } from "./snapshot";

export interface Invariant {
  readonly name: string;
  check(snapshot: Snapshot, facts: Facts): string[];
}

export interface Facts {
  /** Units each product started with (packages/seed-data). */
  readonly initialStock: ReadonlyMap<string, number>;
  /** The soak's checkout attempts as its shoppers saw them; absent when no shopper ran (a bare data dir). */
  readonly checkoutAttempts?: readonly CheckoutAttemptFact[];
  /** SMTP deliveries per email id, as the soak's SMTP sink counted them; absent without a sink. */
  readonly smtpDeliveries?: ReadonlyMap<string, number>;
}

export interface CheckoutAttemptFact {
  readonly checkoutKey: string;
  /** The shopper's own new account: every order of this email is an order of this attempt. */
  readonly email: string;
  readonly outcome: "paid" | "pending" | "declined" | "refused" | "failed";
}

const terminal = new Set(["paid", "failed"]);
export const confirmationKey = (orderId: string) => `order-confirmation:${orderId}`;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function sum<T>(rows: readonly T[], value: (row: T) => number): number {
  return rows.reduce((total, row) => total + value(row), 0);
}

/** "kettle×2, mug×1": lines compared as text so a difference reads at a glance. */
function describeLines(lines: readonly { productId: string; quantity: number }[]): string {
  return [...lines]
    .sort((a, b) => a.productId.localeCompare(b.productId))
    .map((line) => `${line.productId}×${line.quantity}`)
    .join(", ");
}

/** The order a payment was made for: the saga charges with the order id as key and names it in the description. */
function orderOfPayment(payment: PaymentRow, orderIds: ReadonlySet<string>): string | undefined {
  if (orderIds.has(payment.idempotencyKey)) return payment.idempotencyKey;
  const named = /order (\S+)$/.exec(payment.description ?? "")?.[1];
  return named && orderIds.has(named) ? named : undefined;
}

export const everyOrderSettled: Invariant = {
  name: "every order is completed (paid) or compensated (failed); none left midway",
  check: ({ orders }) =>
    orders
      .filter((order) => !terminal.has(order.status))
      .map((order) => `order ${order.id} is still "${order.status}" (last change ${new Date(order.updatedAt).toISOString()})`),
};

export const stockMatchesCommitments: Invariant = {
  name: "stock = initial stock - committed reservations, nothing held by a settled order, never negative",
  check: ({ stock, reservations, reservationLines }, { initialStock }) => {
    const statusOf = new Map(reservations.map((reservation) => [reservation.orderId, reservation.status]));
    const linesBy = (status: string) =>
      groupBy(
        reservationLines.filter((line) => statusOf.get(line.orderId) === status),
        (line) => line.productId,
      );
    const committed = linesBy("committed");
    const held = linesBy("held");
    const violations: string[] = [];
    const seen = new Set<string>();
    for (const item of stock) {
      seen.add(item.productId);
      const initial = initialStock.get(item.productId);
      if (initial === undefined) {
        violations.push(`${item.productId} is stocked but is not in the seed catalog`);
        continue;
      }
      const sold = sum(committed.get(item.productId) ?? [], (line) => line.quantity);
      const holding = sum(held.get(item.productId) ?? [], (line) => line.quantity);
      if (item.onHand < 0 || item.reserved < 0 || item.onHand - item.reserved < 0) {
        violations.push(`${item.productId} is negative: onHand ${item.onHand}, reserved ${item.reserved}`);
      }
      if (item.onHand !== initial - sold)
        violations.push(
          `${item.productId} has ${item.onHand} on hand, but ${initial} initial - ${sold} committed = ${initial - sold}`,
        );
      if (item.reserved !== holding)
        violations.push(`${item.productId} has ${item.reserved} reserved, but held reservations add up to ${holding}`);
    }
    for (const [productId, initial] of initialStock)
      if (!seen.has(productId)) violations.push(`${productId} (initial stock ${initial}) has no stock row`);
    for (const reservation of reservations) {
      if (reservation.status === "held")
        violations.push(`reservation of order ${reservation.orderId} is still held after every order settled`);
    }
    return violations;
  },
};

export const reservationsFollowOrders: Invariant = {
  name: "a paid order's stock is committed exactly as ordered; a failed order's is not",
  check: ({ orders, orderLines, reservations, reservationLines }) => {
    const reservationOf = new Map(reservations.map((reservation) => [reservation.orderId, reservation]));
    const linesOfReservation = groupBy(reservationLines, (line) => line.orderId);
    const linesOfOrder = groupBy(orderLines, (line) => line.orderId);
    const orderById = new Map(orders.map((order) => [order.id, order]));
    const violations: string[] = [];
    for (const order of orders) {
      const reservation = reservationOf.get(order.id);
      if (order.status === "paid") {
        if (reservation?.status !== "committed") {
          violations.push(`paid order ${order.id} has ${reservation ? `a ${reservation.status}` : "no"} reservation`);
          continue;
        }
        const ordered = describeLines(linesOfOrder.get(order.id) ?? []);
        const reserved = describeLines(linesOfReservation.get(order.id) ?? []);
        if (ordered !== reserved) violations.push(`paid order ${order.id} ordered ${ordered} but committed ${reserved}`);
      } else if (order.status === "failed" && reservation?.status === "committed") {
        violations.push(`failed order ${order.id} has its stock committed`);
      }
    }
    for (const reservation of reservations) {
      if (reservation.status === "committed" && !orderById.has(reservation.orderId)) {
        violations.push(`reservation ${reservation.orderId} is committed for an order that does not exist`);
      }
    }
    return violations;
  },
};

export const moneyMatchesOrders: Invariant = {
  name: "charged - refunded = totals of paid orders; every order charged at most once, failed orders net zero",
  check: ({ orders, payments, refunds }) => {
    const violations: string[] = [];
    const orderIds = new Set(orders.map((order) => order.id));
    const succeeded = payments.filter((payment) => payment.status === "succeeded");
    const refundsOf = groupBy(refunds, (refund) => refund.paymentId);

    for (const payment of payments) {
      if (payment.status === "processing") violations.push(`payment ${payment.id} is still processing`);
      const refunded = sum(refundsOf.get(payment.id) ?? [], (refund) => refund.amountMinor);
      if (refunded !== payment.refundedMinor)
        violations.push(`payment ${payment.id} says ${payment.refundedMinor} refunded, its refunds add up to ${refunded}`);
      if (refunded > payment.amountMinor)
        violations.push(`payment ${payment.id} refunded ${refunded}, more than its ${payment.amountMinor}`);
    }

    const chargesOf = new Map<string, PaymentRow[]>();
    for (const payment of succeeded) {
      const orderId = orderOfPayment(payment, orderIds);
      if (!orderId) {
        if (payment.refundedMinor < payment.amountMinor)
          violations.push(
            `payment ${payment.id} (key ${payment.idempotencyKey}) charged ${payment.amountMinor - payment.refundedMinor} for no order`,
          );
        continue;
      }
      chargesOf.set(orderId, [...(chargesOf.get(orderId) ?? []), payment]);
    }
    for (const order of orders) {
      const charges = chargesOf.get(order.id) ?? [];
      const kept = sum(charges, (payment) => payment.amountMinor - payment.refundedMinor);
      if (charges.length > 1)
        violations.push(
          `order ${order.id} was charged ${charges.length} times (${charges.map((payment) => payment.id).join(", ")})`,
        );
      if (order.status === "paid") {
        if (kept !== order.totalMinor) violations.push(`paid order ${order.id} totals ${order.totalMinor} but ${kept} was kept`);
        if (charges.length === 1 && order.paymentId !== charges[0]!.id)
          violations.push(`paid order ${order.id} names payment ${order.paymentId}, but was charged by ${charges[0]!.id}`);
      } else if (order.status === "failed" && kept !== 0) {
        violations.push(`failed order ${order.id} kept ${kept} of the shopper's money`);
      }
    }

    const charged = sum(succeeded, (payment) => payment.amountMinor);
    const refunded = sum(refunds, (refund) => refund.amountMinor);
    const paidTotals = sum(
      orders.filter((order) => order.status === "paid"),
      (order) => order.totalMinor,
    );
    if (charged - refunded !== paidTotals)
      violations.push(`charged ${charged} - refunded ${refunded} = ${charged - refunded}, but paid orders total ${paidTotals}`);
    return violations;
  },
};

export const oneConfirmationPerPaidOrder: Invariant = {
  name: "every paid order has its confirmation email, sent; no other order has one",
  check: ({ orders, orderOutbox, emails }) => {
    const violations: string[] = [];
    const confirmations = groupBy(
      emails.filter((email) => email.template === "order-confirmation"),
      (email) => email.idempotencyKey.replace(/^order-confirmation:/, ""),
    );
    const orderIds = new Set(orders.map((order) => order.id));
    for (const order of orders) {
      const sent = confirmations.get(order.id) ?? [];
      if (order.status !== "paid") {
        if (sent.length > 0) violations.push(`${order.status} order ${order.id} has a confirmation email`);
        continue;
      }
      if (sent.length === 0) violations.push(`paid order ${order.id} has no confirmation email`);
      else if (sent[0]!.status !== "sent")
        violations.push(`paid order ${order.id}'s confirmation is "${sent[0]!.status}", not sent`);
    }
    for (const [orderId, group] of confirmations) {
      if (!orderIds.has(orderId))
        violations.push(`confirmation email ${group[0]!.id} is for order ${orderId}, which does not exist`);
    }
    for (const entry of orderOutbox) {
      if (entry.status !== "done")
        violations.push(
          `order ${entry.orderId}'s ${entry.kind} is still ${entry.status} in the order outbox after ${entry.attempts} attempts`,
        );
    }
    return violations;
  },
};

export const oneOrderPerCheckoutAttempt: Invariant = {
  name: "one order per checkout attempt, under the attempt's one key, and what its shopper was told is true",
  check: ({ orders }, { checkoutAttempts = [] }) => {
    const violations: string[] = [];
    const ordersOf = groupBy(orders, (order) => order.email);
    for (const attempt of checkoutAttempts) {
      const placed = ordersOf.get(attempt.email) ?? [];
      if (placed.length > 1)
        violations.push(
          `checkout ${attempt.checkoutKey} (${attempt.email}) made ${placed.length} orders: ${placed.map((order) => `${order.id} under key ${order.checkoutKey}`).join(", ")}`,
        );
      for (const order of placed) {
        if (order.checkoutKey !== attempt.checkoutKey)
          violations.push(
            `order ${order.id} of ${attempt.email} is under key ${order.checkoutKey}, not its attempt's ${attempt.checkoutKey}`,
          );
      }
      // A shopper who gave up without a definite answer (every send lost, past the follow-up bound)
      // is no broken promise: the soak's figures count those attempts, and the checks above hold
      // whatever order it left to settle. What the shopper was told must be true, though.
      if (attempt.outcome === "pending" || attempt.outcome === "failed") continue;
      if (attempt.outcome === "paid" && !placed.some((order) => order.status === "paid")) {
        violations.push(`checkout ${attempt.checkoutKey} (${attempt.email}) was shown as paid, but has no paid order`);
      } else if (attempt.outcome !== "paid" && placed.some((order) => order.status === "paid")) {
        violations.push(
          `checkout ${attempt.checkoutKey} (${attempt.email}) was shown as ${attempt.outcome}, but its order was paid`,
        );
      }
    }
    return violations;
  },
};

export const confirmationDeliveredOnce: Invariant = {
  name: "every paid order's confirmation was delivered over SMTP exactly once; no email twice",
  check: ({ orders, emails }, { smtpDeliveries }) => {
    if (!smtpDeliveries) return [];
    const violations: string[] = [];
    const emailByKey = new Map(emails.map((email) => [email.idempotencyKey, email]));
    for (const order of orders.filter((candidate) => candidate.status === "paid")) {
      const email = emailByKey.get(confirmationKey(order.id));
      const delivered = email ? (smtpDeliveries.get(email.id) ?? 0) : 0;
      if (delivered !== 1)
        violations.push(
          `paid order ${order.id}'s confirmation${email ? ` (email ${email.id})` : ""} was delivered ${delivered} times`,
        );
    }
    for (const [emailId, count] of smtpDeliveries) {
      if (
        count > 1 &&
        !orders.some((order) => emailByKey.get(confirmationKey(order.id))?.id === emailId && order.status === "paid")
      ) {
        violations.push(`email ${emailId || "(no id)"} was delivered ${count} times`);
      }
    }
    return violations;
  },
};

export const storeInvariants: readonly Invariant[] = [
  everyOrderSettled,
  stockMatchesCommitments,
  reservationsFollowOrders,
  moneyMatchesOrders,
  oneConfirmationPerPaidOrder,
  oneOrderPerCheckoutAttempt,
  confirmationDeliveredOnce,
];
