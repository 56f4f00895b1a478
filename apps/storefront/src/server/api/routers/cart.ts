import type { Owner } from "@microshop/cart-service/router";
import { z } from "zod";
import { visitorId } from "../session";
import { createTRPCRouter, sessionProcedure, type Context } from "../trpc";
import type { SessionUser } from "@microshop/session";

const productId = z.string().trim().min(1).max(100);

/** The cart's owner comes from the cookies, never from what the browser sends. */
function ownerOf(ctx: Context & { user: SessionUser | null; sessionToken: string | null }, create: boolean): Owner | null {
  if (ctx.user && ctx.sessionToken) return { kind: "user", sessionToken: ctx.sessionToken };
  const visitor = visitorId(ctx, create);
  return visitor ? { kind: "visitor", visitorId: visitor } : null;
}

const emptyCart = { lines: [], itemCount: 0, subtotalMinor: 0, currency: "USD", degraded: false };

export const cartRouter = createTRPCRouter({
  get: sessionProcedure.query(async ({ ctx }) => {
    const owner = ownerOf(ctx, false);
    return owner ? ctx.services.cart.cart.get.query({ owner }) : emptyCart;
  }),

  add: sessionProcedure
    .input(z.object({ productId, quantity: z.number().int().min(1).max(100).default(1) }))
    .mutation(({ ctx, input }) => ctx.services.cart.cart.addItem.mutate({ owner: ownerOf(ctx, true)!, ...input })),

  setQuantity: sessionProcedure
    .input(z.object({ productId, quantity: z.number().int().min(0).max(100) }))
    .mutation(({ ctx, input }) => ctx.services.cart.cart.setQuantity.mutate({ owner: ownerOf(ctx, true)!, ...input })),

  remove: sessionProcedure
    .input(z.object({ productId }))
    .mutation(({ ctx, input }) => ctx.services.cart.cart.removeItem.mutate({ owner: ownerOf(ctx, true)!, ...input })),
});
