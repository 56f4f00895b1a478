import { isUniqueViolation } from "@microshop/service-runtime/sqlite";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { dummyHash, hashPassword, verifyPassword } from "../password";
import { admitSignIn, admitSignUp, signInSucceeded } from "../rate-limit";
import { createSession, hashToken, publicUser, validateSession } from "../sessions";
import { createTRPCRouter, publicProcedure } from "../trpc";

const email = z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address"));
const clientKey = z.string().max(100).optional();
const token = z.string().min(10).max(200);

export const authRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(
      z.object({
        email,
        password: z.string().min(10, "Use at least 10 characters").max(200),
        name: z.string().trim().min(1, "Tell us your name").max(100),
        clientKey,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // Counted before the email is looked up, so probing which emails have accounts costs attempts too.
      await admitSignUp(ctx.db, input.clientKey, ctx.now());
      const existing = await ctx.db.user.findUnique({ where: { email: input.email } });
      if (existing)
        throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists. Sign in instead?" });
      const passwordHash = await hashPassword(input.password);
      const user = await ctx.db.user
        .create({ data: { email: input.email, name: input.name, passwordHash } })
        .catch((error: unknown) => {
          // Two sign-ups racing for one email: the unique index lets exactly one through.
          if (isUniqueViolation(error)) {
            throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists. Sign in instead?" });
          }
          throw error;
        });
      const session = await createSession(ctx.db, user.id, ctx.now(), ctx.sessionTtlHours);
      return { user: publicUser(user), session };
    }),

  signIn: publicProcedure
    .input(z.object({ email, password: z.string().min(1).max(200), clientKey }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      // Counted as a failure until the password proves right (see rate-limit.ts).
      await admitSignIn(ctx.db, input.email, input.clientKey, now);
      const user = await ctx.db.user.findUnique({ where: { email: input.email } });
      const valid = await verifyPassword(input.password, user?.passwordHash ?? dummyHash);
      if (!user || !valid) throw new TRPCError({ code: "UNAUTHORIZED", message: "Email or password is incorrect" });
      await signInSucceeded(ctx.db, input.email, input.clientKey, now);
      const session = await createSession(ctx.db, user.id, now, ctx.sessionTtlHours);
      return { user: publicUser(user), session };
    }),

  signOut: publicProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    await ctx.db.session.deleteMany({ where: { tokenHash: hashToken(input.token) } });
    return { ok: true as const };
  }),
});

export const sessionsRouter = createTRPCRouter({
  validate: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => validateSession(ctx.db, input.token, ctx.now())),
});
