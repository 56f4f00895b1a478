import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";

type ErrorCode = TRPCError["code"];

/** Codes that mean "the service is broken or away", where its own message helps nobody in the shop. */
const outageCodes = new Set<ErrorCode>([
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
  "BAD_GATEWAY",
  "GATEWAY_TIMEOUT",
  "TIMEOUT",
]);

function codeOf(error: TRPCClientError<never>): ErrorCode | undefined {
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("code" in data)) return undefined;
  return typeof data.code === "string" ? (data.code as ErrorCode) : undefined;
}

function timedOut(error: TRPCClientError<never>): boolean {
  return (error.meta as { timeout?: unknown } | undefined)?.timeout === true;
}

/**
 * A downstream failure, restated as an error of the BFF. The code is kept (NOT_FOUND stays
 * NOT_FOUND), so pages can still tell "no such product" from "the catalog is down"; messages of
 * outages are rewritten for a shopper, and the original stays as `cause` for the logs.
 * `subject` names what the shopper was after: "the catalog", "stock levels".
 */
export function fromDownstream(error: TRPCClientError<never>, subject: string): TRPCError {
  if (timedOut(error)) {
    return new TRPCError({
      code: "GATEWAY_TIMEOUT",
      message: `${capitalize(subject)} took too long to answer. Please try again in a moment.`,
      cause: error,
    });
  }
  const code = codeOf(error);
  // No code means no answer at all: refused connection, reset, DNS failure.
  if (code === undefined || outageCodes.has(code)) {
    return new TRPCError({
      code: code === undefined || code === "INTERNAL_SERVER_ERROR" ? "SERVICE_UNAVAILABLE" : code,
      message: `${capitalize(subject)} is unavailable right now. Please try again in a moment.`,
      cause: error,
    });
  }
  return new TRPCError({ code, message: error.message, cause: error });
}

/**
 * True when the error is no answer at all, a timeout or an outage: the caller cannot know whether
 * what it asked for happened, which matters for a call that charges (checkout keeps its key then).
 */
export function isOutage(error: TRPCClientError<never>): boolean {
  if (timedOut(error)) return true;
  const code = codeOf(error);
  return code === undefined || outageCodes.has(code);
}

export function isDownstreamError(error: unknown): error is TRPCClientError<never> {
  return error instanceof TRPCClientError;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
