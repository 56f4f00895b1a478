/**
 * For services that hold a user's data (carts, orders, inbox): who is this session? They ask the
 * user service rather than trust a user id from their caller, so calling them directly with
 * someone else's id gets nowhere. Exported as the user service's client helper.
 */
import type { TRPCClient } from "@trpc/client";
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { UserRouter } from "./router/root";

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** The input field every user-scoped procedure takes instead of a user id. */
export const sessionTokenSchema = z.string().min(10).max(200);

export async function sessionUser(users: TRPCClient<UserRouter>, sessionToken: string): Promise<SessionUser> {
  try {
    const { user } = await users.sessions.validate.query({ token: sessionToken });
    return { id: user.id, email: user.email, name: user.name };
  } catch (error) {
    const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
    if (code === "UNAUTHORIZED" || code === "BAD_REQUEST") {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has expired. Please sign in again." });
    }
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "We can't check your sign-in right now. Please try again in a moment.", cause: error });
  }
}
