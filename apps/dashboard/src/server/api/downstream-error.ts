import { downstreamCode, isTimeout } from "@microshop/service-client/errors";
import { TRPCError } from "@trpc/server";

export type Source = "telemetry" | "supervisor" | "control-plane";

const howToStart: Record<Source, string> = {
  telemetry: "Start the stack with `pnpm start` (the telemetry service listens on port 4318).",
  supervisor: "Start the stack with `pnpm start`; the supervisor's control API listens on port 4000.",
  "control-plane": "Start the stack with `pnpm start`; the supervisor serves the control plane beside its control API.",
};

const names: Record<Source, string> = {
  telemetry: "The telemetry service",
  supervisor: "The supervisor",
  "control-plane": "The control plane",
};

/**
 * Turns whatever a downstream call threw into our own error with a message a learner can act on:
 * the downstream's own message when it gave one (they are written for people), else what is wrong
 * and what to do about it.
 */
export function fromDownstream(error: unknown, source: Source): TRPCError {
  if (error instanceof TRPCError) return error;
  const code = downstreamCode(error);
  // A code means the source answered (a client error), with a message written for people.
  if (code !== undefined && error instanceof Error) {
    if (code === "NOT_FOUND" && /no procedure found/i.test(error.message)) {
      return new TRPCError({
        code: "NOT_IMPLEMENTED",
        message: `${names[source]} running here is older than this dashboard and does not offer this yet; rebuild it.`,
        cause: error,
      });
    }
    return new TRPCError({ code, message: error.message, cause: error });
  }
  if (isTimeout(error)) {
    return new TRPCError({
      code: "GATEWAY_TIMEOUT",
      message: `${names[source]} did not answer in time; it may be overloaded or stuck.`,
      cause: error,
    });
  }
  return new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: `${names[source]} is not reachable. ${howToStart[source]}`,
    cause: error,
  });
}

/** The one-line reason a source is missing from the map, for the banner. */
export function describeOutage(error: unknown, source: Source): string {
  return fromDownstream(error, source).message;
}
