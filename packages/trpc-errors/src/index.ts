/**
 * The one way to read what a failed tRPC call says about the service behind it, for every caller:
 * services, the two BFFs, the browser and the client span (`traceCall`). It imports nothing of ours
 * and nothing Node-only, so the client span (which the client factory depends on) and browser code
 * can both use it; everyone else imports it as `@microshop/service-client/errors`.
 */
import { TRPCClientError } from "@trpc/client";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

export type ErrorCode = TRPC_ERROR_CODE_KEY;

/**
 * Codes that say "the service is broken or away": nobody knows what became of the call, its own
 * message helps no one upstream, and a call that charges must be followed, not tried again as new.
 * INTERNAL_SERVER_ERROR is one: to a caller, it means the callee broke part-way through (a bug, a
 * lost database), so whether the work was done is as unknown as after a timeout. So is
 * CLIENT_CLOSED_REQUEST: the callee stopped because the request went away, wherever it had got to.
 */
const outageCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
  "BAD_GATEWAY",
  "GATEWAY_TIMEOUT",
  "TIMEOUT",
  "CLIENT_CLOSED_REQUEST",
]);

/** The code the other side answered with; undefined when nothing answered (refused, reset, timed out). */
export function downstreamCode(error: unknown): ErrorCode | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("code" in data) || typeof data.code !== "string") return undefined;
  return data.code as ErrorCode;
}

/**
 * True when the call ran out of time: the client factory's deadline (`meta.timeout`), or an aborted
 * signal (the only signals our callers pass are deadlines, `AbortSignal.timeout`).
 */
export function isTimeout(error: unknown): boolean {
  if (error instanceof TRPCClientError && error.meta?.timeout === true) return true;
  const cause = error instanceof Error ? error.cause : undefined;
  return [error, cause].some(
    (candidate) => candidate instanceof Error && (candidate.name === "TimeoutError" || candidate.name === "AbortError"),
  );
}

/** True for a code of `outageCodes`, for code that holds a code rather than a client error. */
export function isOutageCode(code: ErrorCode): boolean {
  return outageCodes.has(code);
}

/**
 * True when the call got no answer, timed out or met an outage: the caller cannot know whether what
 * it asked for happened (checkout keeps its key then), and the callee's message is not for a person.
 */
export function isOutage(error: unknown): boolean {
  const code = downstreamCode(error);
  // A timeout carries no code: our deadline ended the call before any answer.
  return code === undefined || isOutageCode(code);
}
