/**
 * The network's part of the lab's faults, a step of the caller's client (`createServiceClient`):
 * before a call goes out it asks the fault source for the faults in force and `decide`s
 * (`@microshop/lab/faults`) what the network does to it: a delay, then it passes, fails as if the
 * callee answered SERVICE_UNAVAILABLE, hangs until the client's own deadline, or is refused as if
 * nothing listened. It runs inside the call's client span, which carries the fault ids and the
 * outcome, so a learner sees the injected fault in the trace. The same step runs in both modes:
 * in-process calls pass it too.
 */
import { trace } from "@opentelemetry/api";
import { TRPCClientError } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { decide, type Fault, type NetworkOutcome } from "@microshop/lab/faults";
import type { ServiceName } from "@microshop/topology";
import { abortReason } from "./abort";
import type { Route } from "./resolver";
import type { CallTallies } from "./tallies";

/** The faults in force now (the lab agent's latest feed). */
export type FaultSource = () => readonly Fault[];

/** What a process's clients need of the lab: the faults to apply and where to count their calls. */
export interface ClientLab {
  readonly faults: FaultSource;
  readonly tallies?: CallTallies;
  /** [0, 1), for error rates and jitter; tests pass their own. */
  readonly random?: () => number;
}

export const FAULT_IDS_ATTRIBUTE = "microshop.fault.ids";
export const FAULT_OUTCOME_ATTRIBUTE = "microshop.fault.outcome";
export const FAULT_DELAY_ATTRIBUTE = "microshop.fault.delay_ms";
export const FAULT_EVENT = "microshop.fault";
/**
 * The delay a call already waited in its caller's fault step, told to the callee (milliseconds,
 * only when above zero): the HTTP client span starts after the wait, so the callee's server span
 * carries it (`FAULT_DELAY_ATTRIBUTE`) and the telemetry service times the hop as the caller felt it.
 */
export const LAB_DELAY_HEADER = "x-microshop-lab-delay-ms";
/** The header that tells the callee of a delay (none when there was none). */
export function labDelayHeaders(delayMs: number): Record<string, string> {
  return Number.isFinite(delayMs) && delayMs > 0 ? { [LAB_DELAY_HEADER]: String(Math.round(delayMs)) } : {};
}

/** The process a route leads to, for the tallies. */
export function instanceOf(route: Route): string {
  return "local" in route ? (route.local.instance ?? "in-process") : route.instance;
}

/** The answer a callee gives when it is unavailable, made here: read by `downstreamCode`/`isOutage` as a real one. */
function injectedUnavailable(callee: string, faultIds: readonly string[]): TRPCClientError<AnyRouter> {
  const message = `The ${callee} service is unavailable: an error injected by the lab (fault ${faultIds.join(", ")})`;
  return TRPCClientError.from({
    error: {
      code: TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE,
      message,
      data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503, zodError: null, service: callee, injectedFault: true },
    },
  });
}

/** A refused connection, as fetch reports one: no answer, so no code. */
function injectedRefusal(callee: string, faultIds: readonly string[]): TRPCClientError<AnyRouter> {
  const refused = Object.assign(new Error(`connect ECONNREFUSED (the ${callee} service, unreachable by a lab fault)`), {
    code: "ECONNREFUSED",
  });
  return new TRPCClientError(`The ${callee} service is unreachable: a fault injected by the lab (fault ${faultIds.join(", ")})`, {
    cause: new TypeError("fetch failed", { cause: refused }),
  });
}

function markSpan(outcome: NetworkOutcome): void {
  if (outcome.faultIds.length === 0) return;
  const span = trace.getActiveSpan();
  if (!span) return;
  const attributes = {
    [FAULT_IDS_ATTRIBUTE]: [...outcome.faultIds],
    [FAULT_OUTCOME_ATTRIBUTE]: outcome.result,
    [FAULT_DELAY_ATTRIBUTE]: outcome.delayMs,
  };
  span.setAttributes(attributes);
  span.addEvent(FAULT_EVENT, attributes);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Never answers: rejects with the signal's reason when the client's deadline (or the caller) aborts it. */
function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The call on its way, as the fault step sees it. */
export interface FaultedCall<T> {
  /** Aborted at the client's deadline or by the caller. */
  readonly signal: AbortSignal;
  /** Sends the call on, telling the transport how long it was held here (milliseconds, 0 when not). */
  readonly proceed: (labDelayMs: number) => Promise<T>;
}

/**
 * Applies the faults on calls from `caller` (the name its calls are signed as: a service,
 * `monolith`, `storefront`) to `callee`. A call it fails is tallied against the endpoint it was
 * bound for (`route` takes that endpoint's turn, as the network fails a call on its way to one).
 * Runs inside the call's client span, which it marks.
 */
export async function applyFaults<T>(
  callee: ServiceName,
  caller: string,
  lab: ClientLab,
  route: () => Route,
  call: FaultedCall<T>,
): Promise<T> {
  const outcome = decide(lab.faults(), { caller, callee }, lab.random);
  markSpan(outcome);
  if (outcome.delayMs > 0) await wait(outcome.delayMs, call.signal);
  if (outcome.result === "pass") return call.proceed(outcome.delayMs);
  try {
    lab.tallies?.record(callee, instanceOf(route()), false);
  } catch {
    // No endpoint to bind it to: the call fails all the same, uncounted.
  }
  if (outcome.result === "error") throw injectedUnavailable(callee, outcome.faultIds);
  if (outcome.result === "unreachable") throw injectedRefusal(callee, outcome.faultIds);
  // "timeout": no answer ever; the client's deadline ends the call.
  return hang(call.signal);
}
