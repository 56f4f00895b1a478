import { leaseUntil } from "@microshop/service-runtime/leases";
import type { Logger } from "@microshop/service-runtime/logger";
import { backgroundSpan } from "@microshop/tracing/background";
import type { Db } from "./db";
import type { EmailMessage } from "./generated/prisma/client";

export interface OutgoingEmail {
  readonly id: string;
  readonly toEmail: string;
  readonly toName: string | null;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Hands one email to the outside world (SMTP); throwing means "try again later". */
export type Transport = (email: OutgoingEmail) => Promise<void>;

export interface OutboxOptions {
  readonly maxAttempts: number;
  /** Who claims messages: this process's instance id. Replicas on one database each have their own. */
  readonly owner: string;
  /** How long a claim lasts; one not finished by then belonged to a process that died mid-send: queue it again. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
}

/** 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1_000 * 2 ** (attempts - 1), 5 * 60_000);
}

/**
 * Delivers what is due in the outbox. Each message is claimed with a conditional update
 * (queued → sending, with an owner and a lease expiry) before it is handed to the transport, so two
 * processors on one database never send the same message. Only an expired lease is queued again,
 * and only the lease's owner marks the message sent or failed. A message reaches the inbox when it
 * is marked sent. If the process dies between the transport and that mark, the expired lease sends
 * it again: SMTP delivery is at-least-once, the inbox exactly once. The clock is read at each claim,
 * not once per pass: a long pass must not claim its last message with a lease that already ran out.
 */
export async function processOutbox(
  db: Db,
  transport: Transport,
  clock: () => Date,
  options: OutboxOptions,
  logger?: Logger,
): Promise<number> {
  const leaseMs = options.leaseMs ?? 60_000;
  const now = clock();
  await db.emailMessage.updateMany({
    where: {
      status: "sending",
      // Claims made before leases had an expiry count from when they were made.
      OR: [{ leaseExpiresAt: { lt: now } }, { leaseExpiresAt: null, claimedAt: { lt: new Date(now.getTime() - leaseMs) } }],
    },
    data: { status: "queued", claimedAt: null, claimedBy: null, leaseExpiresAt: null },
  });
  const due = await db.emailMessage.findMany({
    where: { status: "queued", nextAttemptAt: { lte: now } },
    orderBy: { createdAt: "asc" },
    take: options.batchSize ?? 25,
  });
  let sent = 0;
  for (const message of due) {
    if (
      await backgroundSpan("email/outbox.deliver", { "microshop.email_id": message.id }, () =>
        deliver(db, transport, clock, { ...options, leaseMs }, message, logger),
      )
    )
      sent += 1;
  }
  return sent;
}

/** Claims one message and hands it to the transport; true when it was sent. */
async function deliver(
  db: Db,
  transport: Transport,
  clock: () => Date,
  options: OutboxOptions & { leaseMs: number },
  message: EmailMessage,
  logger?: Logger,
): Promise<boolean> {
  const now = clock();
  const claim = await db.emailMessage.updateMany({
    where: { id: message.id, status: "queued" },
    data: { status: "sending", claimedAt: now, claimedBy: options.owner, leaseExpiresAt: leaseUntil(now, options.leaseMs) },
  });
  if (claim.count === 0) return false;
  // Only while this process still holds the claim: one that expired may be another replica's by now.
  const ours = { id: message.id, status: "sending", claimedBy: options.owner };
  const released = { claimedAt: null, claimedBy: null, leaseExpiresAt: null };
  try {
    await transport(message);
    const marked = await db.emailMessage.updateMany({
      where: ours,
      data: { status: "sent", deliveredAt: clock(), attempts: message.attempts + 1, lastError: null, ...released },
    });
    if (marked.count === 0)
      logger?.warn({ emailId: message.id }, "email sent after its lease ran out: another process may send it too");
    return marked.count === 1;
  } catch (error) {
    const attempts = message.attempts + 1;
    const failed = attempts >= options.maxAttempts;
    const reason = error instanceof Error ? error.message : String(error);
    await db.emailMessage.updateMany({
      where: ours,
      data: {
        status: failed ? "failed" : "queued",
        attempts,
        lastError: reason.slice(0, 500),
        ...released,
        nextAttemptAt: new Date(clock().getTime() + retryDelayMs(attempts)),
      },
    });
    logger?.warn(
      { emailId: message.id, attempts, failed, err: reason },
      failed ? "email failed for good" : "email delivery failed: will retry",
    );
    return false;
  }
}
