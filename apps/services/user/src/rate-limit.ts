import { retryAfterMs, tooManyAttempts } from "@microshop/service-runtime/rate-limit";
import type { Db } from "./db";

/**
 * Sign-in: 5 failures per account, 20 per client, in 15 minutes (password guessing).
 * Sign-up: 20 accounts asked for per client in an hour (mass-made accounts, email probing).
 * Both live in this service's database, next to the accounts they protect: a restart does not reset
 * them and every replica sees the same count. The client key is the caller's address as the
 * storefront saw it; a call with none (another service, a test) is limited per account only.
 */
export const limits = { perAccount: 5, perClient: 20, windowMs: 15 * 60_000, signUpsPerClient: 20, signUpWindowMs: 60 * 60_000 } as const;

/** Refuses a sign-in once an account, or one client, has failed too often in the window. */
export async function assertNotLimited(db: Db, email: string, clientKey: string | undefined, now: Date): Promise<void> {
  const since = new Date(now.getTime() - limits.windowMs);
  const checks: Array<[number, { email?: string; clientKey?: string }]> = [[limits.perAccount, { email }]];
  if (clientKey) checks.push([limits.perClient, { clientKey }]);
  for (const [limit, who] of checks) {
    const failures = await db.signInFailure.findMany({ where: { ...who, at: { gt: since } }, orderBy: { at: "asc" }, select: { at: true } });
    const wait = retryAfterMs(failures.map((failure) => failure.at), limit, limits.windowMs, now);
    if (wait > 0) throw tooManyAttempts(wait);
  }
}

export async function recordFailure(db: Db, email: string, clientKey: string | undefined, now: Date): Promise<void> {
  await db.signInFailure.create({ data: { email, clientKey: clientKey ?? null, at: now } });
}

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { email } });
}

/** Counts this sign-up against its client, or refuses it when the client has asked for too many. */
export async function admitSignUp(db: Db, clientKey: string | undefined, now: Date): Promise<void> {
  if (!clientKey) return;
  const since = new Date(now.getTime() - limits.signUpWindowMs);
  const attempts = await db.signUpAttempt.findMany({ where: { clientKey, at: { gt: since } }, orderBy: { at: "asc" }, select: { at: true } });
  const wait = retryAfterMs(attempts.map((attempt) => attempt.at), limits.signUpsPerClient, limits.signUpWindowMs, now);
  if (wait > 0) throw tooManyAttempts(wait);
  await db.signUpAttempt.create({ data: { clientKey, at: now } });
}
