import { TRPCError } from "@trpc/server";

/**
 * The one sentence every rate limit answers with, so a shopper reads the same thing whether sign-in,
 * sign-up or checkout said no: "Too many attempts; try again in 40 seconds." Waits of two minutes
 * or more are given in minutes: nobody counts 840 seconds.
 */
export function tooManyAttemptsMessage(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (seconds < 120) return `Too many attempts; try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  return `Too many attempts; try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/** A TOO_MANY_REQUESTS error (HTTP 429) with that sentence. */
export function tooManyAttempts(retryAfterMs: number): TRPCError {
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: tooManyAttemptsMessage(retryAfterMs) });
}

/**
 * How long until a sliding window admits one more, given the times of the attempts it holds (oldest
 * first): zero while fewer than `limit` count.
 */
export function retryAfterMs(attempts: readonly Date[], limit: number, windowMs: number, now: Date): number {
  if (attempts.length < limit) return 0;
  // Free again when the oldest attempt that still counts leaves the window.
  const oldest = attempts[attempts.length - limit]!;
  return Math.max(1, oldest.getTime() + windowMs - now.getTime());
}
