import { sessionUser, type SessionUser } from "@microshop/session";
import { TRPCError } from "@trpc/server";
import { env } from "~/env";
import { clientAddress } from "../client-address";
import { clearCookie, readCookie, sessionCookie, setCookie, visitorCookie } from "./cookies";
import type { Context } from "./context";

/**
 * Validates the session cookie with the user service; an ended session is cleared. Any other
 * failure keeps the user service's error as its cause, which `downstreamProcedure` restates.
 */
export async function currentUser(ctx: Context): Promise<SessionUser | null> {
  const token = readCookie(ctx.headers, sessionCookie);
  if (!token) return null;
  try {
    return await sessionUser(ctx.services.user, token);
  } catch (error) {
    if (!(error instanceof TRPCError) || error.code !== "UNAUTHORIZED") throw error;
    if (ctx.resHeaders) clearCookie({ headers: ctx.headers, resHeaders: ctx.resHeaders }, sessionCookie);
    return null;
  }
}

export function startSession(ctx: Context, session: { token: string; expiresAt: Date }): void {
  if (!ctx.resHeaders) throw new Error("A session can only start in an HTTP call");
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  setCookie({ headers: ctx.headers, resHeaders: ctx.resHeaders }, sessionCookie, session.token, maxAge);
}

export function endSession(ctx: Context): void {
  if (ctx.resHeaders) clearCookie({ headers: ctx.headers, resHeaders: ctx.resHeaders }, sessionCookie);
}

/** The anonymous visitor id, created on first need so a cart survives until sign-in. */
export function visitorId(ctx: Context, create: boolean): string | null {
  const existing = readCookie(ctx.headers, visitorCookie);
  if (existing || !create) return existing ?? null;
  const id = `v_${crypto.randomUUID()}`;
  if (ctx.resHeaders) setCookie({ headers: ctx.headers, resHeaders: ctx.resHeaders }, visitorCookie, id, 60 * 60 * 24 * 90);
  return id;
}

/** The shopper's address, not one it claims (see client-address.ts): the key for per-client sign-in limits. */
export function clientKey(ctx: Pick<Context, "headers">): string {
  return clientAddress(ctx.headers, env.TRUSTED_PROXY_HOPS);
}
