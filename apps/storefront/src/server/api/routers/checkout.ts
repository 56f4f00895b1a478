import type { OrderView } from "@microshop/order-service/router";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const shippingAddressInput = z.object({
  name: z.string().trim().min(1, "Enter the recipient's name").max(100),
  line1: z.string().trim().min(1, "Enter the street address").max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1, "Enter the city").max(100),
  postalCode: z.string().trim().min(1, "Enter the postal code").max(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code, like US or FR"),
});

export const cardInput = z.object({
  number: z
    .string()
    .trim()
    .regex(/^[\d ]{12,23}$/, "Enter the card number: 12 to 19 digits"),
  expMonth: z.coerce.number().int().min(1, "Month is 1 to 12").max(12, "Month is 1 to 12"),
  expYear: z.coerce.number().int().min(2000, "Use a four-digit year").max(2100, "Use a four-digit year"),
  cvc: z
    .string()
    .trim()
    .regex(/^\d{3,4}$/, "3 or 4 digits"),
  holderName: z.string().trim().min(1, "Enter the name on the card").max(100),
});

/** How each way a saga can end becomes an error the checkout form can show. */
const failureCodes: Record<string, TRPCError["code"]> = {
  out_of_stock: "CONFLICT",
  not_sold: "CONFLICT",
  reservation_lost: "CONFLICT",
  payment_declined: "PAYMENT_REQUIRED",
  card_invalid: "BAD_REQUEST",
  inventory_unavailable: "SERVICE_UNAVAILABLE",
  interrupted: "SERVICE_UNAVAILABLE",
};

export const checkoutRouter = createTRPCRouter({
  /**
   * Places the signed-in shopper's cart as an order. `checkoutKey` is made once per attempt by the
   * page, so a double click or a retry after a lost answer finds the same order: one charge.
   */
  place: protectedProcedure
    .input(z.object({ checkoutKey: z.string().min(8).max(100), shippingAddress: shippingAddressInput, card: cardInput }))
    .mutation(async ({ ctx, input }): Promise<OrderView> => {
      const owner = { kind: "user" as const, sessionToken: ctx.sessionToken };
      const cart = await ctx.services.cart.cart.get.query({ owner });
      if (cart.lines.length === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "Your cart is empty." });
      const order = await ctx.services.order.orders.place.mutate({
        checkoutKey: input.checkoutKey,
        sessionToken: ctx.sessionToken,
        shippingAddress: input.shippingAddress,
        items: cart.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
        card: input.card,
      });
      if (order.failure) {
        throw new TRPCError({ code: failureCodes[order.failure.code] ?? "CONFLICT", message: order.failure.message });
      }
      if (order.status === "paid") {
        await ctx.services.cart.cart.clear.mutate({ owner }).catch((error: unknown) => console.warn("cart not cleared after order", error));
      }
      return order;
    }),
});

export const ordersRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => ctx.services.order.orders.list.query({ sessionToken: ctx.sessionToken })),
  get: protectedProcedure
    .input(z.object({ orderId: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => ctx.services.order.orders.get.query({ sessionToken: ctx.sessionToken, orderId: input.orderId })),
});

export const inboxRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => ctx.services.email.inbox.list.query({ sessionToken: ctx.sessionToken })),
  get: protectedProcedure
    .input(z.object({ id: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => ctx.services.email.inbox.get.query({ sessionToken: ctx.sessionToken, id: input.id })),
});
