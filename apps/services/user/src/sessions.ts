import { createHash, randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { Db } from "./db";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export async function createSession(db: Db, userId: string, now: Date, ttlHours: number) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await db.session.create({ data: { tokenHash: hashToken(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function validateSession(db: Db, token: string, now: Date) {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.expiresAt <= now) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has expired. Please sign in again." });
  }
  return { user: publicUser(session.user) };
}

export function publicUser(user: { id: string; email: string; name: string; createdAt: Date }) {
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt };
}
