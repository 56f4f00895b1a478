import { sessionTokenSchema, sessionUser } from "@microshop/session";
import { z } from "zod";
import type { Prisma } from "./generated/prisma/client";
import type { Context } from "./trpc";

/**
 * Whose cart: an anonymous visitor (the storefront's cookie id, a random secret) or the holder of
 * a signed-in session. A user is named by their session, never by an id the caller picks, so a
 * direct call cannot reach someone else's cart.
 */
export const ownerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("visitor"), visitorId: z.string().trim().min(8).max(100) }),
  z.object({ kind: z.literal("user"), sessionToken: sessionTokenSchema }),
]);
export type Owner = z.infer<typeof ownerSchema>;

/** The database key of an owner's cart; a user's session is checked with the user service. */
export type OwnerKey = { readonly visitorId: string } | { readonly userId: string };

export async function ownerKey(ctx: Context, owner: Owner): Promise<OwnerKey> {
  if (owner.kind === "visitor") return { visitorId: owner.visitorId };
  const user = await sessionUser(ctx.users, owner.sessionToken);
  return { userId: user.id };
}

export function ownerWhere(key: OwnerKey): Prisma.CartWhereUniqueInput {
  return "visitorId" in key ? { visitorId: key.visitorId } : { userId: key.userId };
}
