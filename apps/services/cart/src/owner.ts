import { z } from "zod";
import type { Prisma } from "./generated/prisma/client";

/**
 * Whose cart: an anonymous visitor (the storefront's cookie id) or a signed-in user. Every
 * procedure takes the owner and only ever touches that owner's cart.
 */
export const ownerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("visitor"), visitorId: z.string().trim().min(8).max(100) }),
  z.object({ kind: z.literal("user"), userId: z.string().trim().min(1).max(100) }),
]);
export type Owner = z.infer<typeof ownerSchema>;

export function ownerWhere(owner: Owner): Prisma.CartWhereUniqueInput {
  return owner.kind === "visitor" ? { visitorId: owner.visitorId } : { userId: owner.userId };
}

export function ownerData(owner: Owner): Prisma.CartCreateInput {
  return owner.kind === "visitor" ? { visitorId: owner.visitorId } : { userId: owner.userId };
}
