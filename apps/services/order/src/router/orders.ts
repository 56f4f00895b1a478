import { TRPCError } from "@trpc/server";
import { sessionTokenSchema, sessionUser } from "@microshop/session";
import { z } from "zod";
import { placeOrder } from "../saga";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { shippingAddressSchema, toView, withLines } from "../views";

const sessionToken = sessionTokenSchema;

export const placeOrderInput = z.object({
  checkoutKey: z.string().trim().min(8).max(100),
  sessionToken,
  shippingAddress: shippingAddressSchema,
  items: z
    .array(z.object({ productId: z.string().trim().min(1).max(100), quantity: z.number().int().min(1).max(100) }))
    .min(1, "Your cart is empty")
    .max(50),
  // Checked in depth by the payment service; here only its shape.
  card: z.object({
    number: z.string().trim().min(12).max(23),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(0).max(9999),
    cvc: z.string().trim().min(3).max(4),
    holderName: z.string().trim().min(1).max(100),
  }),
});

export const ordersRouter = createTRPCRouter({
  /** Runs the checkout saga. Idempotent by `checkoutKey`: a double submit finds the same order. */
  place: publicProcedure.input(placeOrderInput).mutation(({ ctx, input }) => placeOrder(ctx, input)),

  list: publicProcedure.input(z.object({ sessionToken })).query(async ({ ctx, input }) => {
    const user = await sessionUser(ctx.downstream.users, input.sessionToken);
    const rows = await ctx.db.order.findMany({
      where: { userId: user.id },
      include: withLines,
      orderBy: { createdAt: "desc" },
      take: 100,
    });
    return rows.map(toView);
  }),

  /** Only the owner sees an order; to anyone else it does not exist. */
  get: publicProcedure.input(z.object({ sessionToken, orderId: z.string().min(1).max(100) })).query(async ({ ctx, input }) => {
    const user = await sessionUser(ctx.downstream.users, input.sessionToken);
    const row = await ctx.db.order.findFirst({ where: { id: input.orderId, userId: user.id }, include: withLines });
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "We couldn't find that order" });
    return toView(row);
  }),

  /**
   * The order a checkout attempt made, for a page that lost the answer to `place` and must learn
   * what happened before it may start another attempt. Only the owner sees it: to anyone else, as
   * to a key never used, there is no such order.
   */
  byCheckoutKey: publicProcedure
    .input(z.object({ sessionToken, checkoutKey: placeOrderInput.shape.checkoutKey }))
    .query(async ({ ctx, input }) => {
      const user = await sessionUser(ctx.downstream.users, input.sessionToken);
      const row = await ctx.db.order.findFirst({
        where: { checkoutKey: input.checkoutKey, userId: user.id },
        include: withLines,
      });
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No order was placed with this checkout key" });
      return toView(row);
    }),

  stats: publicProcedure.query(async ({ ctx }) => {
    const groups = await ctx.db.order.groupBy({ by: ["status"], _count: { _all: true }, _sum: { totalMinor: true } });
    return groups.map((group) => ({ status: group.status, count: group._count._all, totalMinor: group._sum.totalMinor ?? 0 }));
  }),
});
