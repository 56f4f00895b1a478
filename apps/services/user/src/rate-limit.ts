import { retryAfterMs, tooManyAttempts } from "@microshop/service-runtime/rate-limit";
import { writeTransaction, type Db, type Tx } from "./db";

/**
 * Sign-in and sign-up limits, kept in this service's database next to the accounts they protect: a
 * restart does not reset them and every replica sees the same count. The client key is the caller's
 * address as the storefront saw it (its socket peer, or what a trusted proxy reports); a call with
 * none (another service, a test) counts as one anonymous client.
 *
 * Every limit counts and records in one write transaction, and a sign-in is recorded as a failure
 * before its password is checked (the row is deleted when the password proves right): checking the
 * count and recording later would let 50 parallel guesses all read "4 failures so far" and pass.
 *
 * Who is refused, and why it is the attacker's source and not the account's owner:
 * - per (account, client), 5 failures in 15 minutes: the source guessing this account is refused,
 *   its right password too (the owner typing wrongly five times waits, from that client only);
 * - per client, 20 failures in 15 minutes: one source spraying many accounts is refused;
 * - per account, 50 failures in 15 minutes from everywhere (a guesser with many addresses): from
 *   then on only clients that have signed in to this account before are admitted, so the owner's
 *   right password still works from where they usually sign in, while new sources wait. Refusing
 *   the account outright would let anyone lock any owner out with 5 wrong passwords; admitting every
 *   source would leave distributed guessing unbounded per account.
 * Sign-up: 20 accounts asked for per client in an hour (mass-made accounts, email probing).
 */
export const limits = {
  perAccountClient: 5,
  perClient: 20,
  perAccount: 50,
  windowMs: 15 * 60_000,
  /** How long a client that signed in stays trusted for the account. */
  knownClientMs: 90 * 24 * 60 * 60_000,
  signUpsPerClient: 20,
  signUpWindowMs: 60 * 60_000,
} as const;

async function refuseIfFull(
  tx: Tx,
  where: { email?: string; clientKey?: string | null },
  limit: number,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - limits.windowMs);
  const failures = await tx.signInFailure.findMany({
    where: { ...where, at: { gt: since } },
    orderBy: { at: "asc" },
    select: { at: true },
  });
  const wait = retryAfterMs(
    failures.map((failure) => failure.at),
    limit,
    limits.windowMs,
    now,
  );
  if (wait > 0) throw tooManyAttempts(wait);
}

async function isKnownClient(tx: Tx, email: string, clientKey: string | undefined, now: Date): Promise<boolean> {
  if (!clientKey) return false;
  const known = await tx.knownSignInClient.findUnique({ where: { email_clientKey: { email, clientKey } } });
  return known !== null && known.lastAt.getTime() > now.getTime() - limits.knownClientMs;
}

/**
 * Admits one sign-in attempt or refuses it with the wait; an admitted attempt is already counted as
 * a failure. Returns its id for `signInSucceeded`.
 */
export async function admitSignIn(db: Db, email: string, clientKey: string | undefined, now: Date): Promise<string> {
  return writeTransaction(db, async (tx) => {
    await refuseIfFull(tx, { email, clientKey: clientKey ?? null }, limits.perAccountClient, now);
    if (clientKey) await refuseIfFull(tx, { clientKey }, limits.perClient, now);
    if (!(await isKnownClient(tx, email, clientKey, now))) await refuseIfFull(tx, { email }, limits.perAccount, now);
    const attempt = await tx.signInFailure.create({
      data: { email, clientKey: clientKey ?? null, at: now },
      select: { id: true },
    });
    return attempt.id;
  });
}

/**
 * The password was right: this client's failures on this account are forgotten and the client is
 * known to the account from now on. Other clients' failures stay: the owner signing in must not hand
 * a guesser five fresh tries.
 */
export async function signInSucceeded(db: Db, email: string, clientKey: string | undefined, now: Date): Promise<void> {
  await writeTransaction(db, async (tx) => {
    await tx.signInFailure.deleteMany({ where: { email, clientKey: clientKey ?? null } });
    if (clientKey) {
      await tx.knownSignInClient.upsert({
        where: { email_clientKey: { email, clientKey } },
        create: { email, clientKey, lastAt: now },
        update: { lastAt: now },
      });
    }
  });
}

/** Counts this sign-up against its client, or refuses it when the client has asked for too many. */
export async function admitSignUp(db: Db, clientKey: string | undefined, now: Date): Promise<void> {
  if (!clientKey) return;
  const since = new Date(now.getTime() - limits.signUpWindowMs);
  await writeTransaction(db, async (tx) => {
    const attempts = await tx.signUpAttempt.findMany({
      where: { clientKey, at: { gt: since } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    const wait = retryAfterMs(
      attempts.map((attempt) => attempt.at),
      limits.signUpsPerClient,
      limits.signUpWindowMs,
      now,
    );
    if (wait > 0) throw tooManyAttempts(wait);
    await tx.signUpAttempt.create({ data: { clientKey, at: now } });
  });
}
