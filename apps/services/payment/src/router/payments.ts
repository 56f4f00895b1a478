import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cardSchema } from "../card";
import { chargeCard, voidCharge } from "../charge";
import { refundPayment } from "../refund";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { paymentDetails } from "../views";

const idempotencyKey = z.string().min(1).max(200);

export const chargeInput = z.object({
  idempotencyKey,
  amountMinor: z.number().int().min(1).max(10_000_000),
  currency: z.literal("USD"),
  description: z.string().max(200).optional(),
  card: cardSchema,
});

export const refundInput = z.object({
  /** The refund's own key, not the charge's. */
  idempotencyKey,
  paymentId: z.string().min(1).max(100),
  amountMinor: z.number().int().min(1).max(10_000_000).optional(),
});

export const paymentsRouter = createTRPCRouter({
  /** Declines fail with PAYMENT_REQUIRED; `get` tells the decline code. Safe to retry with the same key. */
  charge: publicProcedure.input(chargeInput).mutation(({ ctx, input }) => chargeCard(ctx, input)),

  /**
   * For a caller that gave up on a charge it could not confirm: after this, the key is either
   * charged (and the answer says so) or can never be. Answers the key's payment, "voided" if none.
   */
  void: publicProcedure
    .input(z.object({ idempotencyKey }))
    .mutation(async ({ ctx, input }) => paymentDetails(await voidCharge(ctx, input.idempotencyKey))),

  refund: publicProcedure.input(refundInput).mutation(({ ctx, input }) => refundPayment(ctx, input)),

  get: publicProcedure.input(z.object({ idempotencyKey })).query(async ({ ctx, input }) => {
    const payment = await ctx.db.payment.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (!payment) {
      throw new TRPCError({ code: "NOT_FOUND", message: `No payment was made with idempotency key "${input.idempotencyKey}"` });
    }
    return paymentDetails(payment);
  }),

  /** Money in and out, for invariant checks: `payments` counts succeeded charges. */
  ledger: publicProcedure.query(async ({ ctx }) => {
    const [charged, refunded] = await Promise.all([
      ctx.db.payment.aggregate({ where: { status: "succeeded" }, _sum: { amountMinor: true }, _count: true }),
      ctx.db.refund.aggregate({ _sum: { amountMinor: true } }),
    ]);
    return {
      chargedMinor: charged._sum.amountMinor ?? 0,
      refundedMinor: refunded._sum.amountMinor ?? 0,
      payments: charged._count,
    };
  }),
});
