import { leaseUntil } from "@microshop/service-runtime/leases";
import { writeTransaction } from "@microshop/service-runtime/sqlite";
import { backgroundSpan } from "@microshop/tracing/background";
import { resumeSaga } from "./saga";
import type { Context } from "./trpc";
import { orderNumber, shippingAddressSchema, withLines, type ShippingAddress } from "./views";

/** 2 s, 4 s, 8 s ... capped at 2 minutes: an email service that is down is asked again, gently. */
function retryDelayMs(attempts: number): number {
  return Math.min(2_000 * 2 ** (attempts - 1), 120_000);
}

/**
 * Hands each paid order's confirmation to the email service. The email service's idempotency key
 * is the order id, so a retry after a lost answer still yields exactly one email. Each entry is
 * claimed first (its next attempt pushed past the hand-over), so replicas do not hand it over twice.
 */
export async function drainOutbox(ctx: Context): Promise<number> {
  const now = ctx.now();
  const due = await dueEntries(ctx, now);
  let delivered = 0;
  for (const entry of due) {
    if (!(await claimEntry(ctx, entry, now))) continue;
    if (await backgroundSpan("order/outbox.confirm", { "microshop.order_id": entry.orderId }, () => handOver(ctx, entry, now)))
      delivered += 1;
  }
  return delivered;
}

/** True when this process won the entry; another replica's claim pushed its next attempt past now. */
async function claimEntry(ctx: Context, entry: OutboxEntry, now: Date): Promise<boolean> {
  const claim = await ctx.db.orderOutbox.updateMany({
    where: { id: entry.id, status: "pending", nextAttemptAt: { lte: now } },
    data: { leaseOwner: ctx.leaseOwner, nextAttemptAt: leaseUntil(now, ctx.sagaLeaseMs) },
  });
  return claim.count === 1;
}

type OutboxEntry = Awaited<ReturnType<typeof dueEntries>>[number];

function dueEntries(ctx: Context, now: Date) {
  return ctx.db.orderOutbox.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now } },
    include: { order: { include: withLines } },
    take: 25,
  });
}

/** Hands one confirmation to the email service; true when it took it. */
async function handOver(ctx: Context, entry: OutboxEntry, now: Date): Promise<boolean> {
  const { order } = entry;
  const address: ShippingAddress = shippingAddressSchema.parse(order.shippingAddress);
  try {
    await ctx.downstream.email.emails.send.mutate({
      idempotencyKey: `order-confirmation:${order.id}`,
      to: { email: order.email, name: order.customerName },
      userId: order.userId,
      template: "order-confirmation",
      data: {
        orderId: order.id,
        orderNumber: orderNumber(order.id),
        items: order.lines.map((line) => ({ name: line.name, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor })),
        totalMinor: order.totalMinor,
        currency: order.currency,
        shippingAddress: address,
      },
    });
    await writeTransaction(ctx.db, async (tx) => {
      await tx.orderOutbox.update({
        where: { id: entry.id },
        data: { status: "done", attempts: entry.attempts + 1, lastError: null },
      });
      await tx.order.update({ where: { id: order.id }, data: { emailStatus: "sent" } });
    });
    return true;
  } catch (error) {
    const attempts = entry.attempts + 1;
    await ctx.db.orderOutbox.update({
      where: { id: entry.id },
      data: {
        attempts,
        lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
      },
    });
    ctx.logger.warn({ orderId: order.id, attempts, err: error }, "confirmation email not handed over yet: will retry");
    return false;
  }
}

const unfinished = ["reserving", "charging", "committing"];

/**
 * Finds sagas that stopped midway and resumes each; returns how many reached paid or failed. Only
 * a saga whose lease ran out is taken (its checkout request, or the replica resuming it, is gone),
 * and it is claimed first, so two replicas never resume the same saga.
 */
export async function resumeStale(ctx: Context): Promise<number> {
  const now = ctx.now();
  const stuck = await ctx.db.order.findMany({
    where: { status: { in: unfinished }, leaseExpiresAt: { lt: now } },
    include: withLines,
    take: 25,
  });
  let settled = 0;
  for (const order of stuck) {
    if (!(await claimSaga(ctx, order.id, now))) continue;
    const view = await backgroundSpan("order/saga.resume", { "microshop.order_id": order.id }, () => resumeSaga(ctx, order));
    if (view.status === "paid" || view.status === "failed") settled += 1;
    // Still unfinished (a service did not answer): let the next pass, on any replica, try again.
    else await ctx.db.order.updateMany({ where: { id: order.id, leaseOwner: ctx.leaseOwner }, data: { leaseExpiresAt: now } });
  }
  return settled;
}

/** True when this process now holds the saga's lease; the conditional update lets one replica win. */
async function claimSaga(ctx: Context, orderId: string, now: Date): Promise<boolean> {
  const claim = await ctx.db.order.updateMany({
    where: { id: orderId, status: { in: unfinished }, leaseExpiresAt: { lt: now } },
    data: { leaseOwner: ctx.leaseOwner, leaseExpiresAt: leaseUntil(now, ctx.sagaLeaseMs) },
  });
  return claim.count === 1;
}
