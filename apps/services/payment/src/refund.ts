import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { isUniqueViolation, writeTransaction } from "@microshop/service-runtime/sqlite";
import type { Payment, Refund } from "./db";
import type { Context } from "./trpc";
import { refundDetails } from "./views";

export interface RefundRequest {
  readonly idempotencyKey: string;
  readonly paymentId: string;
  /** Default: whatever of the payment is not refunded yet. */
  readonly amountMinor?: number | undefined;
}

/** Refunds a succeeded payment at most once per refund key, never beyond what was charged. */
export async function refundPayment(ctx: Context, request: RefundRequest) {
  const earlier = await ctx.db.refund.findUnique({
    where: { idempotencyKey: request.idempotencyKey },
    include: { payment: true },
  });
  if (earlier) return replayRefund(earlier, request);
  try {
    return await writeTransaction(ctx.db, async (tx) => {
      const found = await tx.payment.findUnique({ where: { id: request.paymentId } });
      const { payment, amountMinor } = refundable(found, request);
      // Guarded by the refunded total just read, so a concurrent refund cannot push it past the charge.
      const counted = await tx.payment.updateMany({
        where: { id: request.paymentId, refundedMinor: payment.refundedMinor },
        data: { refundedMinor: { increment: amountMinor } },
      });
      if (counted.count === 0) {
        throw new TRPCError({
          code: "CONFLICT",
          message: "Another refund of this payment was recorded at the same moment; retry",
        });
      }
      const refund = await tx.refund.create({
        data: { id: `ref_${randomUUID()}`, idempotencyKey: request.idempotencyKey, paymentId: request.paymentId, amountMinor },
      });
      ctx.logger.info({ refundId: refund.id, paymentId: refund.paymentId, amountMinor }, "refund recorded");
      return refundDetails(refund, payment);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A duplicate call with the same key won the race: answer with its refund.
    const winner = await ctx.db.refund.findUniqueOrThrow({
      where: { idempotencyKey: request.idempotencyKey },
      include: { payment: true },
    });
    return replayRefund(winner, request);
  }
}

function refundable(payment: Payment | null, request: RefundRequest): { payment: Payment; amountMinor: number } {
  if (!payment) throw new TRPCError({ code: "NOT_FOUND", message: `No payment with id "${request.paymentId}"` });
  if (payment.status === "declined") {
    throw new TRPCError({ code: "CONFLICT", message: "This payment was declined, so there is nothing to refund" });
  }
  if (payment.status === "voided") {
    throw new TRPCError({
      code: "CONFLICT",
      message: "This payment was cancelled before it was charged, so there is nothing to refund",
    });
  }
  if (payment.status !== "succeeded") {
    throw new TRPCError({ code: "CONFLICT", message: "This payment is still processing; refund it once it has succeeded" });
  }
  const remaining = payment.amountMinor - payment.refundedMinor;
  if (remaining === 0)
    throw new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: "This payment has already been refunded in full" });
  const amountMinor = request.amountMinor ?? remaining;
  if (amountMinor > remaining) {
    throw new TRPCError({
      code: "UNPROCESSABLE_CONTENT",
      message: `Cannot refund ${amountMinor}: only ${remaining} of this payment (minor units) is left to refund`,
    });
  }
  return { payment, amountMinor };
}

function replayRefund(refund: Refund & { payment: Payment }, request: RefundRequest) {
  const sameAmount = request.amountMinor === undefined || request.amountMinor === refund.amountMinor;
  if (refund.paymentId !== request.paymentId || !sameAmount) {
    throw new TRPCError({
      code: "UNPROCESSABLE_CONTENT",
      message: "This idempotency key was already used for a different refund",
    });
  }
  return refundDetails(refund, refund.payment);
}
