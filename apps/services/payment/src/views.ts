import { TRPCError } from "@trpc/server";
import type { Payment, Refund } from "./db";
import { declineMessages, isDeclineCode } from "./test-cards";

/** "voided": the key was cancelled before any charge (`payments.void`); nothing was taken. */
export type PaymentStatus = "processing" | "succeeded" | "declined" | "voided";

/** A payment as `payments.get` shows it; the decline code only once the payment is declined. */
export function paymentDetails(payment: Payment) {
  const status = payment.status as PaymentStatus;
  return {
    paymentId: payment.id,
    idempotencyKey: payment.idempotencyKey,
    status,
    declineCode: status === "declined" ? payment.declineCode : null,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    description: payment.description,
    brand: payment.brand,
    last4: payment.last4,
    refundedMinor: payment.refundedMinor,
    createdAt: payment.createdAt,
  };
}

/** What `payments.charge` answers for a settled payment: the success object, or the decline as an error. */
export function chargeOutcome(payment: Payment) {
  if (payment.status === "declined") {
    const message = isDeclineCode(payment.declineCode) ? declineMessages[payment.declineCode] : declineMessages.card_declined;
    throw new TRPCError({ code: "PAYMENT_REQUIRED", message });
  }
  if (payment.status !== "succeeded") {
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Payment ${payment.id} is not settled yet` });
  }
  return {
    paymentId: payment.id,
    idempotencyKey: payment.idempotencyKey,
    status: "succeeded" as const,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    brand: payment.brand,
    last4: payment.last4,
    createdAt: payment.createdAt,
    refundedMinor: payment.refundedMinor,
  };
}

export function refundDetails(refund: Refund, payment: Payment) {
  return {
    refundId: refund.id,
    idempotencyKey: refund.idempotencyKey,
    paymentId: refund.paymentId,
    amountMinor: refund.amountMinor,
    currency: payment.currency,
    createdAt: refund.createdAt,
  };
}
