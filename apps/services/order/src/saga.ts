/**
 * Checkout as a saga. Each step is a call to another service that is idempotent by the order id,
 * so any step can be retried, and each step has a compensation:
 *
 *   looking up ── who buys ∥ this key's order ∥ prices ──▶ reserving
 *       │ signed out / catalog down
 *       ▼
 *   refused, no order made
 *
 *   reserving ── reserve stock ──▶ charging ── charge card ──▶ committing ── commit stock ∥ record payment ──▶ paid
 *       │ out of stock / no answer     │ declined / invalid          │ reservation lost
 *       ▼                              ▼                              ▼
 *     failed                 release stock, failed          refund, release, failed
 *
 * Looking up asks three things that do not depend on one another at once (∥): who the session
 * belongs to (user), whether this checkout key already made an order (own database), and the
 * prices (product). They only read, so one failing leaves nothing to undo: no order exists yet.
 * The steps after it stay one at a time: stock is held before the card is charged, so an item
 * out of stock is never charged and refunded; the stock is committed only once the charge is
 * certain, while the payment is recorded (see `complete`). All lines are reserved in one call,
 * which inventory holds or refuses as a whole.
 *
 * The status is saved before each step, so a crash leaves a saga that `resumeSaga` can finish
 * or undo from what the other services say happened. Each step also renews the saga's lease (owner,
 * expiry): replicas on one database resume only sagas whose lease ran out, one replica each. "paid" and the confirmation email's outbox
 * entry are written in one transaction: a paid order always gets its email, exactly once, and the
 * answer does not wait for the email service (the outbox hands it over).
 */
import { downstreamCode } from "@microshop/service-client/errors";
import { sessionUser } from "@microshop/session";
import { retryAfterMs, tooManyAttempts } from "@microshop/service-runtime/rate-limit";
import { leaseUntil } from "@microshop/service-runtime/leases";
import { isUniqueViolation, writeTransaction } from "@microshop/service-runtime/sqlite";
import { TRPCError } from "@trpc/server";
import type { Prisma } from "./generated/prisma/client";
import type { Context } from "./trpc";
import { toView, withLines, type OrderRow, type OrderView, type ShippingAddress } from "./views";

export interface Card {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly cvc: string;
  readonly holderName: string;
}

export interface PlaceOrderInput {
  readonly checkoutKey: string;
  /** Who is buying: the user service turns it into an account; no caller can name another. */
  readonly sessionToken: string;
  readonly shippingAddress: ShippingAddress;
  readonly items: ReadonlyArray<{ productId: string; quantity: number }>;
  readonly card: Card;
}

const messages = {
  inventoryDown: "We couldn't check stock just now, so nothing was charged. Please try again in a moment.",
  paymentDown: "The payment service isn't answering, so nothing was charged. Please try again in a moment.",
  paymentPending:
    "Your payment is taking longer than usual. We'll finish your order as soon as it is confirmed; you will never be charged twice.",
  interrupted: "Checkout was interrupted before payment, so nothing was charged. Please try again.",
  reservationLost: "Your items were released before payment finished, so we refunded you in full. Please try again.",
} as const;

async function load(ctx: Context, orderId: string): Promise<OrderRow> {
  return ctx.db.order.findUniqueOrThrow({ where: { id: orderId }, include: withLines });
}

/** Saves a step and renews this process's lease on the saga. */
async function setStatus(ctx: Context, orderId: string, status: string, data: Prisma.OrderUpdateInput = {}): Promise<OrderRow> {
  return ctx.db.order.update({ where: { id: orderId }, data: { ...data, status, ...sagaLease(ctx) }, include: withLines });
}

function sagaLease(ctx: Context) {
  return { leaseOwner: ctx.leaseOwner, leaseExpiresAt: leaseUntil(ctx.now(), ctx.sagaLeaseMs) };
}

async function fail(ctx: Context, order: OrderRow, code: string, message: string): Promise<OrderView> {
  ctx.logger.info({ orderId: order.id, code }, "order failed");
  return toView(await setStatus(ctx, order.id, "failed", { failureCode: code, failureMessage: message }));
}

/** "Only 2 left of prod_x" reads better as "Only 2 left of Enamel Kettle". */
function withNames(message: string, order: OrderRow): string {
  return order.lines.reduce((text, line) => text.replaceAll(line.productId, line.name), message);
}

/** Gives the stock back; true when inventory confirmed it (or there was nothing to give back). */
async function release(ctx: Context, orderId: string): Promise<boolean> {
  try {
    await ctx.downstream.inventory.reservations.release.mutate({ orderId });
    return true;
  } catch (error) {
    ctx.logger.warn({ orderId, err: error }, "could not release the reservation yet; recovery will retry");
    return false;
  }
}

type ChargeOutcome =
  { kind: "paid"; paymentId: string; last4: string } | { kind: "refused"; code: string; message: string } | { kind: "unknown" };

/** Charges with the order id as idempotency key, retrying calls that got no answer: never twice. */
async function charge(ctx: Context, order: OrderRow, card: Card, attempts: number): Promise<ChargeOutcome> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const payment = await ctx.downstream.payment.payments.charge.mutate({
        idempotencyKey: order.id,
        amountMinor: order.totalMinor,
        currency: "USD",
        description: `Microshop order ${order.id}`,
        card,
      });
      return { kind: "paid", paymentId: payment.paymentId, last4: payment.last4 };
    } catch (error) {
      const code = downstreamCode(error);
      if (code === "PAYMENT_REQUIRED") return { kind: "refused", code: "payment_declined", message: (error as Error).message };
      // Recovery gave up on this order meanwhile and voided its key: nothing was, or will be, charged.
      if (code === "PRECONDITION_FAILED") return { kind: "refused", code: "interrupted", message: messages.interrupted };
      if (code === "BAD_REQUEST" || code === "UNPROCESSABLE_CONTENT") {
        return {
          kind: "refused",
          code: "card_invalid",
          message: (error as Error).message.replace(/^Invalid input: [\w.]+: /, ""),
        };
      }
      ctx.logger.warn({ orderId: order.id, attempt, err: error }, "charge got no answer: retrying with the same key");
    }
  }
  return { kind: "unknown" };
}

/**
 * Records the payment and commits the stock at once, then marks the order paid; the email goes out
 * through the outbox. Neither needs the other: a crash before the record lands leaves the saga
 * "charging", which recovery finishes the same way (voiding the key answers the charge that was
 * made), and committing is idempotent by the order id.
 */
async function complete(ctx: Context, order: OrderRow, payment: { paymentId: string; last4: string | null }): Promise<OrderView> {
  const [recorded, committed] = await Promise.allSettled([
    setStatus(ctx, order.id, "committing", { paymentId: payment.paymentId, cardLast4: payment.last4 }),
    ctx.downstream.inventory.reservations.commit.mutate({ orderId: order.id }),
  ]);
  if (recorded.status === "rejected") throw recorded.reason;
  if (committed.status === "rejected") {
    const error: unknown = committed.reason;
    if (downstreamCode(error) !== "CONFLICT") return toView(await load(ctx, order.id));
    // The hold expired or was released while the card was charged: give the money back.
    await ctx.downstream.payment.payments.refund.mutate({ idempotencyKey: `refund:${order.id}`, paymentId: payment.paymentId });
    await release(ctx, order.id);
    return fail(ctx, order, "reservation_lost", messages.reservationLost);
  }
  const paid = await writeTransaction(ctx.db, async (tx) => {
    await tx.orderOutbox.upsert({
      where: { orderId_kind: { orderId: order.id, kind: "confirmation-email" } },
      create: { orderId: order.id, kind: "confirmation-email", nextAttemptAt: ctx.now() },
      update: {},
    });
    return tx.order.update({
      where: { id: order.id },
      data: { status: "paid", emailStatus: "pending", leaseExpiresAt: null },
      include: withLines,
    });
  });
  ctx.kick();
  ctx.logger.info({ orderId: order.id, totalMinor: order.totalMinor }, "order paid");
  return toView(paid);
}

async function runSaga(ctx: Context, order: OrderRow, card: Card): Promise<OrderView> {
  try {
    await ctx.downstream.inventory.reservations.reserve.mutate({
      orderId: order.id,
      items: order.lines.map(({ productId, quantity }) => ({ productId, quantity })),
    });
  } catch (error) {
    const code = downstreamCode(error);
    if (code === "CONFLICT") return fail(ctx, order, "out_of_stock", withNames((error as Error).message, order));
    if (code === "NOT_FOUND") return fail(ctx, order, "not_sold", withNames((error as Error).message, order));
    // No answer: a hold may exist or not. Releasing is safe either way and blocks a late reserve.
    await release(ctx, order.id);
    return fail(ctx, order, "inventory_unavailable", messages.inventoryDown);
  }

  await setStatus(ctx, order.id, "charging");
  const outcome = await charge(ctx, order, card, ctx.paymentAttempts);
  if (outcome.kind === "refused") {
    await release(ctx, order.id);
    return fail(ctx, order, outcome.code, outcome.message);
  }
  if (outcome.kind === "unknown") {
    // Maybe charged, maybe not: only the payment service knows. Recovery asks it, then finishes or undoes.
    return toView(await load(ctx, order.id));
  }
  return complete(ctx, order, outcome);
}

/** Waits for an order started by an earlier identical request to settle (bounded). */
async function settled(ctx: Context, orderId: string): Promise<OrderView> {
  for (let i = 0; i < 100; i++) {
    const row = await load(ctx, orderId);
    if (row.status === "paid" || row.status === "failed" || Date.now() - row.updatedAt.getTime() > 20_000) return toView(row);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return toView(await load(ctx, orderId));
}

/**
 * Creates the order of a new checkout, or refuses it once the account has started too many in the
 * window. Every attempt is an order row (a declined one too), so the count is this service's own
 * data: persistent, shared by replicas, and keyed by the account, which a caller cannot choose. The
 * count and the row it admits are one write transaction that takes the lock first: counting, then
 * creating after the catalog call, let parallel checkouts all read the same count and pass. A retry
 * of the same checkout key finds its order before this and is never refused.
 */
async function createCountedOrder(ctx: Context, data: Prisma.OrderCreateInput & { userId: string }): Promise<OrderRow> {
  // One write transaction (the write lock first): parallel checkouts cannot all read the same count.
  return writeTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const recent = await tx.order.findMany({
      where: { userId: data.userId, createdAt: { gt: new Date(now.getTime() - ctx.checkoutLimit.windowMs) } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    const wait = retryAfterMs(
      recent.map((order) => order.createdAt),
      ctx.checkoutLimit.perAccount,
      ctx.checkoutLimit.windowMs,
      now,
    );
    if (wait > 0) throw tooManyAttempts(wait);
    return tx.order.create({ data, include: withLines });
  });
}

/**
 * Asks who buys, whether this checkout key already made an order, and the prices, all at once: none
 * needs another's answer. A refused session wins over everything else (nothing is said about an order
 * to a stranger); the prices are only read when a new order is made, so a retry of a placed checkout
 * is answered even while the catalog is down.
 */
async function lookUp(ctx: Context, input: PlaceOrderInput, ids: string[]) {
  const [buyer, existing, prices] = await Promise.allSettled([
    sessionUser(ctx.downstream.users, input.sessionToken),
    ctx.db.order.findUnique({ where: { checkoutKey: input.checkoutKey } }),
    ctx.downstream.product.catalog.byIds.query({ ids }),
  ]);
  if (buyer.status === "rejected") throw buyer.reason;
  if (existing.status === "rejected") throw existing.reason;
  return { buyer: buyer.value, existing: existing.value, prices };
}

export async function placeOrder(ctx: Context, input: PlaceOrderInput): Promise<OrderView> {
  const ids = [...new Set(input.items.map((item) => item.productId))];
  const { buyer, existing, prices } = await lookUp(ctx, input, ids);
  if (existing) {
    if (existing.userId !== buyer.id) throw new TRPCError({ code: "CONFLICT", message: "This checkout belongs to someone else" });
    return settled(ctx, existing.id);
  }
  if (prices.status === "rejected") {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "We can't reach the catalog right now, so nothing was charged. Please try again.",
    });
  }
  const products = prices.value;
  const quantities = new Map<string, number>();
  for (const item of input.items) quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  const lines = ids.map((productId) => {
    const product = products.find((p) => p.id === productId);
    if (!product)
      throw new TRPCError({ code: "NOT_FOUND", message: "Something in your cart is no longer sold. Please review your cart." });
    return { productId, name: product.name, unitPriceMinor: product.priceMinor, quantity: quantities.get(productId) ?? 0 };
  });
  const totalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);

  let order: OrderRow;
  try {
    // Prices come from the catalog now, never from the browser.
    order = await createCountedOrder(ctx, {
      checkoutKey: input.checkoutKey,
      userId: buyer.id,
      email: buyer.email,
      customerName: buyer.name,
      shippingAddress: input.shippingAddress,
      status: "reserving",
      ...sagaLease(ctx),
      totalMinor,
      currency: "USD",
      lines: { create: lines },
    });
  } catch (error) {
    // The same checkout submitted twice at once: the unique key lets one through; the other waits for it.
    if (isUniqueViolation(error)) {
      const winner = await ctx.db.order.findUniqueOrThrow({ where: { checkoutKey: input.checkoutKey } });
      return settled(ctx, winner.id);
    }
    throw error;
  }
  ctx.logger.info({ orderId: order.id, totalMinor, lines: lines.length }, "checkout started");
  return runSaga(ctx, order, input.card);
}

/**
 * Finishes or undoes a saga that stopped midway (a crash, or a payment with no answer), from
 * what the other services say happened. Leaves it for the next pass when they do not answer.
 */
export async function resumeSaga(ctx: Context, order: OrderRow): Promise<OrderView> {
  if (order.status === "reserving") {
    return (await release(ctx, order.id)) ? fail(ctx, order, "interrupted", messages.interrupted) : toView(order);
  }
  if (order.status === "charging") {
    // Not `get`: "no payment yet" would not mean "never", since a charge the processor still holds
    // can land after we give up. Voiding the key makes the answer final: charged, or never will be.
    let payment;
    try {
      payment = await ctx.downstream.payment.payments.void.mutate({ idempotencyKey: order.id });
    } catch {
      return toView(order);
    }
    if (payment.status === "voided") {
      return (await release(ctx, order.id)) ? fail(ctx, order, "interrupted", messages.interrupted) : toView(order);
    }
    if (payment.status === "processing") return toView(order);
    if (payment.status === "declined") {
      return (await release(ctx, order.id)) ? fail(ctx, order, "payment_declined", "Your card was declined.") : toView(order);
    }
    return complete(ctx, order, { paymentId: payment.paymentId, last4: payment.last4 });
  }
  if (order.status === "committing" && order.paymentId) {
    return complete(ctx, order, { paymentId: order.paymentId, last4: order.cardLast4 });
  }
  return toView(order);
}

export { messages as sagaMessages };
