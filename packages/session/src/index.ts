/**
 * Who is this session? Services that hold a user's data (carts, orders, the inbox) and the
 * storefront ask the user service rather than trust a user id from their caller, so calling them
 * directly with someone else's id gets nowhere. It depends on no service: the one call it makes is
 * typed by its shape, which the user service's typed client satisfies.
 */
import { downstreamCode } from "@microshop/service-client/errors";
import { TRPCError } from "@trpc/server";
import { z } from "zod";

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** The input field every user-scoped procedure takes instead of a user id. */
export const sessionTokenSchema = z.string().min(10).max(200);

/** The one call made to the user service; a `TRPCClient<UserRouter>` is one. */
export interface SessionValidator {
  readonly sessions: { readonly validate: { query(input: { token: string }): Promise<{ user: SessionUser }> } };
}

/**
 * The user a session belongs to. An ended or malformed session is UNAUTHORIZED; any other failure
 * is SERVICE_UNAVAILABLE, keeping the user service's error as `cause`.
 */
export async function sessionUser(users: SessionValidator, sessionToken: string): Promise<SessionUser> {
  try {
    const { user } = await users.sessions.validate.query({ token: sessionToken });
    return { id: user.id, email: user.email, name: user.name };
  } catch (error) {
    const code = downstreamCode(error);
    if (code === "UNAUTHORIZED" || code === "BAD_REQUEST") {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has expired. Please sign in again." });
    }
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "We can't check your sign-in right now. Please try again in a moment.",
      cause: error,
    });
  }
}
