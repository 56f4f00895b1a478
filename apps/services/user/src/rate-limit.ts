import { TRPCError } from "@trpc/server";
import type { Db } from "./db";

export const limits = { perAccount: 5, perClient: 20, windowMs: 15 * 60_000 } as const;

/**
 * Refuses a sign-in once an account, or one client, has failed too often in the window. The
 * failures live in the database, so restarting the service does not reset the count.
 */
export async function assertNotLimited(db: Db, email: string, clientKey: string | undefined, now: Date): Promise<void> {
  const since = new Date(now.getTime() - limits.windowMs);
  const checks: Array<[number, { email?: string; clientKey?: string }]> = [[limits.perAccount, { email }]];
  if (clientKey) checks.push([limits.perClient, { clientKey }]);
  for (const [limit, who] of checks) {
    const failures = await db.signInFailure.findMany({ where: { ...who, at: { gt: since } }, orderBy: { at: "asc" }, select: { at: true } });
    if (failures.length >= limit) {
      // Free again when the oldest failure that counts leaves the window.
      const oldest = failures[failures.length - limit]!.at;
      const minutes = Math.max(1, Math.ceil((oldest.getTime() + limits.windowMs - now.getTime()) / 60_000));
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      });
    }
  }
}

export async function recordFailure(db: Db, email: string, clientKey: string | undefined, now: Date): Promise<void> {
  await db.signInFailure.create({ data: { email, clientKey: clientKey ?? null, at: now } });
}

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { email } });
}
