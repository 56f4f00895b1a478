import { z } from "zod";
import { commit, getReservation, release, reserve } from "../reservations";
import { createTRPCRouter, publicProcedure } from "../trpc";

const orderId = z.string().trim().min(1).max(100);

export const reservationsRouter = createTRPCRouter({
  reserve: publicProcedure
    .input(
      z.object({
        orderId,
        items: z
          .array(z.object({ productId: z.string().trim().min(1).max(100), quantity: z.number().int().min(1).max(100) }))
          .min(1)
          .max(50),
        ttlSeconds: z.number().int().min(10).max(3_600).default(900),
      }),
    )
    .mutation(({ ctx, input }) => reserve(ctx.db, input, ctx.now())),

  commit: publicProcedure.input(z.object({ orderId })).mutation(({ ctx, input }) => commit(ctx.db, input.orderId, ctx.now())),

  release: publicProcedure.input(z.object({ orderId })).mutation(({ ctx, input }) => release(ctx.db, input.orderId, ctx.now())),

  get: publicProcedure.input(z.object({ orderId })).query(({ ctx, input }) => getReservation(ctx.db, input.orderId, ctx.now())),
});
