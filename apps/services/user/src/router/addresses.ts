import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { publicUser } from "../sessions";
import { createRouter, publicProcedure } from "../trpc";

const userId = z.string().trim().min(1).max(100);
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

// Every query names the owner: another user's address is simply not found, never revealed.
export const addressesRouter = createRouter({
  list: publicProcedure
    .input(z.object({ userId }))
    .query(({ ctx, input }) => ctx.db.address.findMany({ where: { userId: input.userId }, orderBy: { createdAt: "asc" } })),

  add: publicProcedure.input(z.object({ userId, address: addressSchema })).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user" });
    return ctx.db.address.create({ data: { ...input.address, userId: input.userId } });
  }),

  remove: publicProcedure.input(z.object({ userId, addressId: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.address.deleteMany({ where: { id: input.addressId, userId: input.userId } });
    if (count === 0) throw notFound();
    return { ok: true as const };
  }),
});

export const usersRouter = createRouter({
  get: publicProcedure.input(z.object({ userId })).query(async ({ ctx, input }) => {
    const user = await ctx.db.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user" });
    return publicUser(user);
  }),
});
