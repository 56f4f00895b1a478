import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { TRPCError } from "@trpc/server";
import { assertNotExpired, describeCard, type Card } from "./card";
import { isUniqueViolation } from "@microshop/service-runtime/sqlite";
import type { Db, Payment } from "./db";
import { networkAnswer } from "./test-cards";
import type { Context } from "./trpc";
import { chargeOutcome } from "./views";

export interface ChargeRequest {
  readonly idempotencyKey: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly description?: string | undefined;
  readonly card: Card;
}

/** How often a duplicate call looks again at a payment that is still processing. */
const settlePollMs = 25;
/** Extra patience for a duplicate call beyond the longest the owner can take. */
const settleGraceMs = 2_000;

/**
 * Charges a card at most once per idempotency key. The first call claims the key by inserting the
 * payment as "processing" (the unique constraint decides the winner of any race), then settles it;
 * every other call with that key replays the stored outcome, waiting while it is still processing.
 *
 * Replay comes before validation: a retry is a question about a payment already decided, not a new
 * charge, so the card's state today (it may have expired since the first attempt, when a retry
 * crosses the end of its expiry month) must not turn a charge that succeeded into a refusal.
 */
export async function chargeCard(ctx: Context, request: ChargeRequest) {
  if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);
  const { brand, last4 } = describeCard(request.card.number);
  if (await ctx.db.payment.findUnique({ where: { idempotencyKey: request.idempotencyKey }, select: { id: true } })) {
    return replayCharge(ctx, request, last4);
  }
  assertNotExpired(request.card, ctx.now());
  const answer = networkAnswer(request.card.number);

  let claimed: Payment;
  try {
    claimed = await ctx.db.payment.create({
      data: {
        id: `pay_${randomUUID()}`,
        idempotencyKey: request.idempotencyKey,
        amountMinor: request.amountMinor,
        currency: request.currency,
        description: request.description ?? null,
        brand,
        last4,
        status: "processing",
        // Decided now and kept, so a charge cut short by a restart settles the same way (settleInterrupted).
        declineCode: answer.declineCode,
        // Real time, not the card clock: how long this process may take before another settles it.
        leaseOwner: ctx.leaseOwner,
        leaseExpiresAt: new Date(Date.now() + ctx.settings.latencyMs + ctx.settings.slowCardDelayMs + settleGraceMs),
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A duplicate call claimed the key between the look-up above and this insert.
    return replayCharge(ctx, request, last4);
  }

  if (answer.slow) await sleep(ctx.settings.slowCardDelayMs);
  // Only if still processing: had this process been too slow, another one settled it the same way.
  await ctx.db.payment.updateMany({
    where: { id: claimed.id, status: "processing" },
    data: { status: answer.declineCode ? "declined" : "succeeded", leaseExpiresAt: null },
  });
  const settled = await ctx.db.payment.findUniqueOrThrow({ where: { id: claimed.id } });
  ctx.logger.info({ paymentId: settled.id, status: settled.status, amountMinor: settled.amountMinor }, "charge settled");
  return chargeOutcome(settled);
}

async function replayCharge(ctx: Context, request: ChargeRequest, last4: string) {
  let payment = await ctx.db.payment.findUniqueOrThrow({ where: { idempotencyKey: request.idempotencyKey } });
  if (payment.status === "voided") throw voidedError();
  if (payment.amountMinor !== request.amountMinor || payment.currency !== request.currency || payment.last4 !== last4) {
    throw new TRPCError({
      code: "UNPROCESSABLE_CONTENT",
      message: "This idempotency key was already used for a different payment",
    });
  }
  const deadline = Date.now() + ctx.settings.latencyMs + ctx.settings.slowCardDelayMs + settleGraceMs;
  while (payment.status === "processing") {
    if (Date.now() > deadline) {
      throw new TRPCError({
        code: "CONFLICT",
        message: "This payment is still processing; retry with the same idempotency key to get its result",
      });
    }
    await sleep(settlePollMs);
    payment = await ctx.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
  }
  return chargeOutcome(payment);
}

function voidedError(): TRPCError {
  return new TRPCError({
    code: "PRECONDITION_FAILED",
    message: "This payment was cancelled before it was charged; nothing was taken. Start again with a new idempotency key",
  });
}

/**
 * Makes sure a key that has not been charged never will be: records it as "voided", so a charge
 * with that key arriving later (a request the processor was still holding when its caller gave up)
 * is refused instead of taking money for an order that was already abandoned. A key already
 * charged (or processing, or declined) is left as it is. Either way the answer is the payment the
 * key now names, so the caller knows for certain what happened. Idempotent.
 */
export async function voidCharge(ctx: Context, idempotencyKey: string): Promise<Payment> {
  const existing = await ctx.db.payment.findUnique({ where: { idempotencyKey } });
  if (existing) return existing;
  try {
    const voided = await ctx.db.payment.create({
      // Nothing was charged: no amount, no card. The unique key is what blocks a late charge.
      data: {
        id: `pay_${randomUUID()}`,
        idempotencyKey,
        amountMinor: 0,
        currency: "USD",
        brand: "none",
        last4: "",
        status: "voided",
      },
    });
    ctx.logger.info({ paymentId: voided.id }, "key voided before any charge");
    return voided;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A charge (or another void) with this key won the race: its row is the truth.
    return ctx.db.payment.findUniqueOrThrow({ where: { idempotencyKey } });
  }
}

/**
 * Settles charges left "processing" by a process that stopped mid-charge, with the answer recorded
 * when they were accepted; otherwise their callers' retries would wait on them forever. Only charges
 * whose lease ran out: a replica sharing the database may be settling the others right now.
 */
export async function settleInterrupted(db: Db, now: Date): Promise<number> {
  const abandoned = { status: "processing", OR: [{ leaseExpiresAt: { lt: now } }, { leaseExpiresAt: null }] };
  const declined = await db.payment.updateMany({
    where: { ...abandoned, declineCode: { not: null } },
    data: { status: "declined", leaseExpiresAt: null },
  });
  const succeeded = await db.payment.updateMany({ where: abandoned, data: { status: "succeeded", leaseExpiresAt: null } });
  return declined.count + succeeded.count;
}
