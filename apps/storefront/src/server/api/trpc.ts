/**
 * The storefront's backend-for-frontend (BFF), read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer and the shared error shape
 * 3. router and procedure builders
 *
 * The browser only ever talks to this router; it in turn calls the services with their typed clients.
 */
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import { initTRPC, TRPCError } from "@trpc/server";
import { readCookie, sessionCookie } from "./cookies";
import { currentUser } from "./session";
import { env } from "~/env";
import { fromDownstream, isDownstreamError } from "./downstream-error";
import type { Context } from "./context";
import { processServiceClients, type ServiceClients } from "./services";

// 1. Context (its type in ./context, which the session helpers read too)
export type { Context };

// Made once per process, lazily: the clients hold keep-alive connections worth reusing across
// requests, and the lab agent that follows the feed for them is started with them, once.
let defaultServices: ServiceClients | undefined;

export function createTRPCContext(opts: { headers: Headers; resHeaders?: Headers; services?: ServiceClients }): Context {
  defaultServices ??= processServiceClients(env);
  return {
    headers: opts.headers,
    resHeaders: opts.resHeaders ?? null,
    services: opts.services ?? defaultServices,
  };
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("storefront"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/**
 * A procedure that calls a downstream service. Whatever that service throws reaches the browser as
 * an error of ours with the same code and a message for a shopper; `subject` names what was asked for.
 */
export function downstreamProcedure(subject: string) {
  return publicProcedure.use(async ({ next }) => {
    const result = await next();
    if (!result.ok && isDownstreamError(result.error.cause)) throw fromDownstream(result.error.cause, subject);
    return result;
  });
}

/** The signed-in shopper, from the session cookie; null when signed out or the session ended. */
export const sessionProcedure = downstreamProcedure("your account").use(async ({ ctx, next }) => {
  const user = await currentUser(ctx);
  return next({ ctx: { user, sessionToken: user ? (readCookie(ctx.headers, sessionCookie) ?? null) : null } });
});

/** The one refusal of a signed-out shopper, for `protectedProcedure` and any procedure that checks sign-in its own way. */
export function signInRequired(): TRPCError {
  return new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in to continue." });
}

/** Like `sessionProcedure`, but signed-in only: `ctx.user` is never null below it. */
export const protectedProcedure = sessionProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw signInRequired();
  // Services are called with the session itself: they ask the user service who it is.
  return next({ ctx: { user: ctx.user, sessionToken: ctx.sessionToken ?? "" } });
});
