import { sessionTokenSchema } from "@microshop/session";
import { z } from "zod";
import { addItem, clearCart, maxQuantity, mergeCarts, removeItem, setQuantity, viewCart } from "../cart";
import { ownerSchema } from "../owner";
import { createTRPCRouter, publicProcedure } from "../trpc";

const productId = z.string().trim().min(1).max(100);

export const cartRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ owner: ownerSchema })).query(({ ctx, input }) => viewCart(ctx, input.owner)),

  addItem: publicProcedure
    .input(z.object({ owner: ownerSchema, productId, quantity: z.number().int().min(1).max(maxQuantity).default(1) }))
    .mutation(({ ctx, input }) => addItem(ctx, input.owner, input.productId, input.quantity)),

  setQuantity: publicProcedure
    .input(z.object({ owner: ownerSchema, productId, quantity: z.number().int().min(0).max(maxQuantity) }))
    .mutation(({ ctx, input }) => setQuantity(ctx, input.owner, input.productId, input.quantity)),

  removeItem: publicProcedure
    .input(z.object({ owner: ownerSchema, productId }))
    .mutation(({ ctx, input }) => removeItem(ctx, input.owner, input.productId)),

  clear: publicProcedure.input(z.object({ owner: ownerSchema })).mutation(({ ctx, input }) => clearCart(ctx, input.owner)),

  merge: publicProcedure
    .input(z.object({ visitorId: z.string().trim().min(8).max(100), sessionToken: sessionTokenSchema }))
    .mutation(({ ctx, input }) => mergeCarts(ctx, input.visitorId, input.sessionToken)),
});
