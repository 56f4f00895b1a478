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
 * is the order id, so a retry after a lost answer still yields exactly one email.
 */
export async function drainOutbox(ctx: Context): Promise<number> {
  const now = ctx.now();
  const due = await dueEntries(ctx, now);
  let delivered = 0;
  for (const entry of due) {
    if (await backgroundSpan("order/outbox.confirm", { "microshop.order_id": entry.orderId }, () => handOver(ctx, entry, now)))
      delivered += 1;
  }
  return delivered;
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
    await ctx.db.$transaction([
      ctx.db.orderOutbox.update({
        where: { id: entry.id },
        data: { status: "done", attempts: entry.attempts + 1, lastError: null },
      }),
      ctx.db.order.update({ where: { id: order.id }, data: { emailStatus: "sent" } }),
    ]);
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

/** Finds sagas that stopped midway and resumes each; returns how many reached paid or failed. */
export async function resumeStale(ctx: Context, staleMs: number): Promise<number> {
  const before = new Date(ctx.now().getTime() - staleMs);
  const stuck = await ctx.db.order.findMany({
    where: { status: { in: ["reserving", "charging", "committing"] }, updatedAt: { lt: before } },
    include: withLines,
    take: 25,
  });
  let settled = 0;
  for (const order of stuck) {
    const view = await backgroundSpan("order/saga.resume", { "microshop.order_id": order.id }, () => resumeSaga(ctx, order));
    if (view.status === "paid" || view.status === "failed") settled += 1;
  }
  return settled;
}
