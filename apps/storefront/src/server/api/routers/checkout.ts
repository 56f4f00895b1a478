// The BFF's checkout: places the cart as an order through the order service's saga, and lets a page
// whose answer was lost follow that order by its checkout key, so a retry never starts a second charge.
import type { OrderView } from "@microshop/order-service/router";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { downstreamCode, isOutage } from "@microshop/service-client/errors";
import { readCookie, sessionCookie } from "../cookies";
import { fromDownstream, isDownstreamError } from "../downstream-error";
import { currentUser } from "../session";
import { createTRPCRouter, downstreamProcedure, protectedProcedure, signInRequired, type Context } from "../trpc";

/**
 * Made by the checkout page once per attempt, and kept until the shopper has seen a definite
 * outcome for it, so a double click or a retry after a lost answer finds the same order: one charge.
 */
const checkoutKey = z.string().min(8).max(100);

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

/**
 * How each way a saga can end becomes an error the checkout form can show. A failed order is a
 * definite outcome, so none of these is an outage code: those say "we don't know what happened",
 * which makes the page keep its key and follow the order instead of starting a new attempt.
 */
const failureCodes: Record<string, TRPCError["code"]> = {
  out_of_stock: "CONFLICT",
  not_sold: "CONFLICT",
  reservation_lost: "CONFLICT",
  payment_declined: "PAYMENT_REQUIRED",
  card_invalid: "BAD_REQUEST",
  inventory_unavailable: "CONFLICT",
  interrupted: "CONFLICT",
};

const messages = {
  unconfirmed:
    "We couldn't confirm your payment yet. It may still go through: we are checking it, and you will never be charged twice for this order.",
} as const;

type SignedIn = Context & { sessionToken: string };

/**
 * The order service got the order or not, and may still be charging: an outage on `place` says
 * nothing about the money, so the shopper is told that, not that their account is unavailable.
 * The client error is wrapped, not the cause itself, so the router's downstream restating leaves
 * this message alone.
 */
function unconfirmed(error: unknown): TRPCError | null {
  if (!isDownstreamError(error) || !isOutage(error)) return null;
  const { code } = fromDownstream(error, "checkout");
  return new TRPCError({
    code,
    message: messages.unconfirmed,
    cause: new Error("orders.place got no definite answer", { cause: error }),
  });
}

/** A paid order's items are bought: they leave the cart. Best effort, as the order stands either way. */
async function clearCartOf(ctx: SignedIn, order: OrderView): Promise<void> {
  if (order.status !== "paid") return;
  await ctx.services.cart.cart.clear
    .mutate({ owner: { kind: "user", sessionToken: ctx.sessionToken } })
    .catch((error: unknown) => console.warn("cart not cleared after order", error));
}

/** The order this shopper's checkout key made, or null when it made none (yet). */
async function orderByKey(ctx: SignedIn, key: string): Promise<OrderView | null> {
  try {
    return await ctx.services.order.orders.byCheckoutKey.query({ sessionToken: ctx.sessionToken, checkoutKey: key });
  } catch (error) {
    if (downstreamCode(error) === "NOT_FOUND") return null;
    throw error;
  }
}

/**
 * Signed-in only, as `protectedProcedure`, with the shopper's cart read while the session is checked
 * instead of after: the cart service checks the same session with the user service itself, so
 * neither needs the other's answer (one hop less to wait for). The read goes out with the cookie's
 * token and is used only once the session proved good; a signed-out shopper's is dropped unread.
 */
const cartCheckoutProcedure = downstreamProcedure("your account").use(async ({ ctx, next }) => {
  const sessionToken = readCookie(ctx.headers, sessionCookie);
  const cartRead = sessionToken ? ctx.services.cart.cart.get.query({ owner: { kind: "user", sessionToken } }) : null;
  // Awaited below only for a good session: a stranger's refusal is nobody's to handle.
  cartRead?.catch(() => undefined);
  const user = await currentUser(ctx);
  if (!user || !sessionToken || !cartRead) throw signInRequired();
  return next({ ctx: { user, sessionToken, cartRead } });
});

export const checkoutRouter = createTRPCRouter({
  /**
   * Places the signed-in shopper's cart as an order. Answers the order when it is paid or still
   * settling (a slow card), a typed error when it definitely failed, and an outage code with
   * `messages.unconfirmed` when the order service gave no answer: then only `byKey` can tell.
   */
  place: cartCheckoutProcedure
    .input(z.object({ checkoutKey, shippingAddress: shippingAddressInput, card: cardInput }))
    .mutation(async ({ ctx, input }): Promise<OrderView> => {
      const cart = await ctx.cartRead;
      if (cart.lines.length === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "Your cart is empty." });
      let order: OrderView;
      try {
        order = await ctx.services.order.orders.place.mutate({
          checkoutKey: input.checkoutKey,
          sessionToken: ctx.sessionToken,
          shippingAddress: input.shippingAddress,
          items: cart.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
          card: input.card,
        });
      } catch (error) {
        throw unconfirmed(error) ?? error;
      }
      if (order.failure) {
        throw new TRPCError({ code: failureCodes[order.failure.code] ?? "CONFLICT", message: order.failure.message });
      }
      await clearCartOf(ctx, order);
      return order;
    }),

  /**
   * The order a checkout key made, for a page following an attempt whose answer was lost: null
   * when the key made no order (nothing was charged), else the order in whatever state it is.
   */
  byKey: protectedProcedure.input(z.object({ checkoutKey })).query(({ ctx, input }) => orderByKey(ctx, input.checkoutKey)),

  /**
   * What `place` does once its order is paid, for a page that saw it paid by following it: the
   * cart is cleared. Answers the order (null when the key made none); harmless to repeat.
   */
  complete: protectedProcedure.input(z.object({ checkoutKey })).mutation(async ({ ctx, input }) => {
    const order = await orderByKey(ctx, input.checkoutKey);
    if (order) await clearCartOf(ctx, order);
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
