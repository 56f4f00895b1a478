import { TRPCClientError } from "@trpc/client";
import { env } from "~/env";
import { clientAddress } from "../client-address";
import { clearCookie, readCookie, sessionCookie, setCookie, visitorCookie } from "./cookies";
import type { Context } from "./trpc";

export interface SignedInUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** Validates the session cookie with the user service; an ended session is cleared. */
export async function currentUser(ctx: Context): Promise<SignedInUser | null> {
  const token = readCookie(ctx.headers, sessionCookie);
  if (!token) return null;
  try {
    const { user } = await ctx.services.user.sessions.validate.query({ token });
    return { id: user.id, email: user.email, name: user.name };
  } catch (error) {
    const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
    if (code === "UNAUTHORIZED" || code === "BAD_REQUEST") {
      if (ctx.resHeaders) clearCookie({ headers: ctx.headers, resHeaders: ctx.resHeaders }, sessionCookie);
      return null;
    }
    throw error;
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
