import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { sessionTokenSchema, sessionUser } from "@microshop/session";
import { isUniqueViolation } from "@microshop/service-runtime/sqlite";
import { orderConfirmationData, render, welcomeData } from "../templates/render";
import { createTRPCRouter, publicProcedure } from "../trpc";

const common = z.object({
  idempotencyKey: z.string().trim().min(1).max(200),
  to: z.object({ email: z.email().max(254), name: z.string().trim().max(100).optional() }),
  userId: z.string().trim().min(1).max(100).optional(),
});

const sendInput = z.discriminatedUnion("template", [
  common.extend({ template: z.literal("order-confirmation"), data: orderConfirmationData }),
  common.extend({ template: z.literal("welcome"), data: welcomeData }),
]);

const summary = {
  id: true,
  idempotencyKey: true,
  subject: true,
  toEmail: true,
  template: true,
  status: true,
  createdAt: true,
  deliveredAt: true,
} as const;

export const emailsRouter = createTRPCRouter({
  /** Queues an email once per key; asking again returns the same message. */
  send: publicProcedure.input(sendInput).mutation(async ({ ctx, input }) => {
    const existing = await ctx.db.emailMessage.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: summary });
    if (existing) return existing;
    const rendered = render(input, { version: ctx.version });
    try {
      const message = await ctx.db.emailMessage.create({
        data: {
          idempotencyKey: input.idempotencyKey,
          toEmail: input.to.email,
          toName: input.to.name ?? null,
          userId: input.userId ?? null,
          template: input.template,
          ...rendered,
          nextAttemptAt: ctx.now(),
        },
        select: summary,
      });
      ctx.kick();
      return message;
    } catch (error) {
      // A concurrent send with the same key won the unique index: return its message.
      if (isUniqueViolation(error)) {
        return ctx.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: summary });
      }
      throw error;
    }
  }),

  byKey: publicProcedure.input(z.object({ idempotencyKey: z.string().min(1).max(200) })).query(async ({ ctx, input }) => {
    const message = await ctx.db.emailMessage.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: summary });
    if (!message) throw new TRPCError({ code: "NOT_FOUND", message: "No email was sent for that key" });
    return message;
  }),
});

// The inbox shows the session's owner only what was sent to them (the user service says who that
// is); anyone else's message is simply not found.
export const inboxRouter = createTRPCRouter({
  list: publicProcedure.input(z.object({ sessionToken: sessionTokenSchema })).query(async ({ ctx, input }) => {
    const user = await sessionUser(ctx.users, input.sessionToken);
    return ctx.db.emailMessage.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: summary,
    });
  }),

  get: publicProcedure
    .input(z.object({ sessionToken: sessionTokenSchema, id: z.string().min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const user = await sessionUser(ctx.users, input.sessionToken);
      const message = await ctx.db.emailMessage.findFirst({
        where: { id: input.id, userId: user.id },
        select: { ...summary, toName: true, html: true, text: true },
      });
      if (!message) throw new TRPCError({ code: "NOT_FOUND", message: "We couldn't find that email" });
      return message;
    }),
});

export const outboxRouter = createTRPCRouter({
  stats: publicProcedure.query(async ({ ctx }) => {
    const groups = await ctx.db.emailMessage.groupBy({ by: ["status"], _count: { _all: true } });
    const counts = { queued: 0, sending: 0, sent: 0, failed: 0 };
    for (const group of groups) if (group.status in counts) counts[group.status as keyof typeof counts] = group._count._all;
    return counts;
  }),
});
