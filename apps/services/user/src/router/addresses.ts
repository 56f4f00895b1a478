import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { validateSession } from "../sessions";
import { createTRPCRouter, publicProcedure } from "../trpc";

const text = (max: number) => z.string().trim().min(1).max(max);

export const addressSchema = z.object({
  name: text(100),
  line1: text(200),
  line2: z.string().trim().max(200).optional(),
  city: text(100),
  postalCode: text(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code, like US or FR"),
  phone: z.string().trim().max(40).optional(),
});

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "We couldn't find that address" });

const sessionToken = z.string().min(10).max(200);

// The owner is whoever holds the session, never a user id the caller names; another user's
// address is simply not found.
export const addressesRouter = createTRPCRouter({
  list: publicProcedure.input(z.object({ sessionToken })).query(async ({ ctx, input }) => {
    const { user } = await validateSession(ctx.db, input.sessionToken, ctx.now());
    return ctx.db.address.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  }),

  add: publicProcedure.input(z.object({ sessionToken, address: addressSchema })).mutation(async ({ ctx, input }) => {
    const { user } = await validateSession(ctx.db, input.sessionToken, ctx.now());
    return ctx.db.address.create({ data: { ...input.address, userId: user.id } });
  }),

  remove: publicProcedure
    .input(z.object({ sessionToken, addressId: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const { user } = await validateSession(ctx.db, input.sessionToken, ctx.now());
      const { count } = await ctx.db.address.deleteMany({ where: { id: input.addressId, userId: user.id } });
      if (count === 0) throw notFound();
      return { ok: true as const };
    }),
});
