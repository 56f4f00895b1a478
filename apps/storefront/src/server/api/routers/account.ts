import { z } from "zod";
import { clientKey, endSession, startSession, visitorId } from "../session";
import { readCookie, sessionCookie } from "../cookies";
import { createTRPCRouter, downstreamProcedure, sessionProcedure } from "../trpc";
import type { Context } from "../trpc";

/** A visitor's cart follows them into their account; a failure here must not block sign-in. */
async function adoptVisitorCart(ctx: Context, sessionToken: string): Promise<void> {
  const visitor = visitorId(ctx, false);
  if (!visitor) return;
  try {
    await ctx.services.cart.cart.merge.mutate({ visitorId: visitor, sessionToken });
  } catch (error) {
    console.warn("could not merge the visitor's cart", error);
  }
}

export const accountRouter = createTRPCRouter({
  me: sessionProcedure.query(({ ctx }) => ({ user: ctx.user })),

  signUp: downstreamProcedure("account sign-up")
    .input(
      z.object({
        name: z.string().trim().min(1, "Tell us your name").max(100),
        email: z.email("Enter a valid email address").max(254),
        password: z.string().min(10, "Use at least 10 characters").max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { user, session } = await ctx.services.user.auth.signUp.mutate({ ...input, clientKey: clientKey(ctx) });
      startSession(ctx, session);
      await adoptVisitorCart(ctx, session.token);
      // The welcome email is a courtesy: the account works even if the email service is away.
      ctx.services.email.emails.send
        .mutate({
          idempotencyKey: `welcome:${user.id}`,
          to: { email: user.email, name: user.name },
          userId: user.id,
          template: "welcome",
          data: { name: user.name },
        })
        .catch((error: unknown) => console.warn("welcome email not queued", error));
      return { user: { id: user.id, email: user.email, name: user.name } };
    }),

  signIn: downstreamProcedure("sign-in")
    .input(
      z.object({
        email: z.email("Enter a valid email address").max(254),
        password: z.string().min(1, "Enter your password").max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { user, session } = await ctx.services.user.auth.signIn.mutate({ ...input, clientKey: clientKey(ctx) });
      startSession(ctx, session);
      await adoptVisitorCart(ctx, session.token);
      return { user: { id: user.id, email: user.email, name: user.name } };
    }),

  signOut: downstreamProcedure("sign-out").mutation(async ({ ctx }) => {
    const token = readCookie(ctx.headers, sessionCookie);
    if (token) await ctx.services.user.auth.signOut.mutate({ token });
    endSession(ctx);
    return { ok: true as const };
  }),
});
