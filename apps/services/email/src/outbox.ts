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
  /** A claim older than this belonged to a process that died mid-send: queue it again. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
}

/** 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1_000 * 2 ** (attempts - 1), 5 * 60_000);
}

/**
 * Delivers what is due in the outbox. Each message is claimed with a conditional update
 * (queued → sending) before it is handed to the transport, so two processors on one database never
 * send the same message. A message reaches the inbox when it is marked sent. If the process dies
 * between the transport and that mark, the lease sends it again: SMTP delivery is at-least-once,
 * the inbox exactly once.
 */
export async function processOutbox(
  db: Db,
  transport: Transport,
  now: Date,
  options: OutboxOptions,
  logger?: Logger,
): Promise<number> {
  const leaseMs = options.leaseMs ?? 60_000;
  await db.emailMessage.updateMany({
    where: { status: "sending", claimedAt: { lt: new Date(now.getTime() - leaseMs) } },
    data: { status: "queued", claimedAt: null },
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
        deliver(db, transport, now, options, message, logger),
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
  now: Date,
  options: OutboxOptions,
  message: EmailMessage,
  logger?: Logger,
): Promise<boolean> {
  const claim = await db.emailMessage.updateMany({
    where: { id: message.id, status: "queued" },
    data: { status: "sending", claimedAt: now },
  });
  if (claim.count === 0) return false;
  try {
    await transport(message);
    await db.emailMessage.update({
      where: { id: message.id },
      data: { status: "sent", deliveredAt: now, attempts: message.attempts + 1, lastError: null, claimedAt: null },
    });
    return true;
  } catch (error) {
    const attempts = message.attempts + 1;
    const failed = attempts >= options.maxAttempts;
    const reason = error instanceof Error ? error.message : String(error);
    await db.emailMessage.update({
      where: { id: message.id },
      data: {
        status: failed ? "failed" : "queued",
        attempts,
        lastError: reason.slice(0, 500),
        claimedAt: null,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
      },
    });
    logger?.warn(
      { emailId: message.id, attempts, failed, err: reason },
      failed ? "email failed for good" : "email delivery failed: will retry",
    );
    return false;
  }
}
