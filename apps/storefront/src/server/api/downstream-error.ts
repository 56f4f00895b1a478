import { downstreamCode, isOutageCode, isTimeout } from "@microshop/service-client/errors";
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";

/**
 * A downstream failure, restated as an error of the BFF. The code is kept (NOT_FOUND stays
 * NOT_FOUND), so pages can still tell "no such product" from "the catalog is down"; messages of
 * outages are rewritten for a shopper, and the original stays as `cause` for the logs.
 * `subject` names what the shopper was after: "the catalog", "stock levels".
 */
export function fromDownstream(error: TRPCClientError<never>, subject: string): TRPCError {
  if (isTimeout(error)) {
    return new TRPCError({
      code: "GATEWAY_TIMEOUT",
      message: `${capitalize(subject)} took too long to answer. Please try again in a moment.`,
      cause: error,
    });
  }
  const code = downstreamCode(error);
  // No code means no answer at all: refused connection, reset, DNS failure.
  if (code === undefined || isOutageCode(code)) {
    return new TRPCError({
      code: code === undefined || code === "INTERNAL_SERVER_ERROR" ? "SERVICE_UNAVAILABLE" : code,
      message: `${capitalize(subject)} is unavailable right now. Please try again in a moment.`,
      cause: error,
    });
  }
  return new TRPCError({ code, message: error.message, cause: error });
}

export function isDownstreamError(error: unknown): error is TRPCClientError<never> {
  return error instanceof TRPCClientError;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
