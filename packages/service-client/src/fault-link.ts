/**
 * The network's part of the lab's faults, in the caller's client links: before a call goes out it
 * asks the fault source for the faults in force and `decide`s (`@microshop/lab/faults`) what the
 * network does to it: a delay, then it passes, fails as if the callee answered SERVICE_UNAVAILABLE,
 * hangs until the client's own deadline, or is refused as if nothing listened. It sits inside the
 * call's client span, which carries the fault ids and the outcome, so a learner sees the injected
 * fault in the trace. The same link runs in both modes: in-process calls pass it too.
 */
import { trace } from "@opentelemetry/api";
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { decide, type Fault, type NetworkOutcome } from "@microshop/lab/faults";
import type { ServiceName } from "@microshop/topology";
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
 * The delay a call already waited in its caller's fault link, told to the callee (milliseconds,
 * only when above zero): the HTTP client span starts after the wait, so the callee's server span
 * carries it (`FAULT_DELAY_ATTRIBUTE`) and the telemetry service times the hop as the caller felt it.
 */
export const LAB_DELAY_HEADER = "x-microshop-lab-delay-ms";
/** Where the fault link leaves that delay in the operation's context, for the HTTP transport. */
export const LAB_DELAY_CONTEXT_KEY = "labDelayMs";

/** The delay the fault link put in an operation's context, as the header's value; undefined when none. */
export function labDelayHeaderValue(context: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const delay = context?.[LAB_DELAY_CONTEXT_KEY];
  return typeof delay === "number" && Number.isFinite(delay) && delay > 0 ? String(Math.round(delay)) : undefined;
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

/**
 * Applies the faults on calls from `caller` (the name its calls are signed as: a service,
 * `monolith`, `storefront`) to `callee`. A call it fails is tallied against the endpoint it was
 * bound for (`route` takes that endpoint's turn, as the network fails a call on its way to one).
 */
export function faultLink<TRouter extends AnyRouter>(
  callee: ServiceName,
  caller: string,
  lab: ClientLab,
  route: () => Route,
): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const outcome = decide(lab.faults(), { caller, callee }, lab.random);
        markSpan(outcome);
        let subscription: { unsubscribe(): void } | undefined;
        const proceed = () => {
          if (outcome.result === "pass") {
            // The wait, for the transport to tell the callee (`LAB_DELAY_HEADER`): this call only.
            const delayed =
              outcome.delayMs > 0 ? { ...op, context: { ...op.context, [LAB_DELAY_CONTEXT_KEY]: outcome.delayMs } } : op;
            subscription = next(delayed).subscribe(observer);
            return;
          }
          try {
            lab.tallies?.record(callee, instanceOf(route()), false);
          } catch {
            // No endpoint to bind it to: the call fails all the same, uncounted.
          }
          if (outcome.result === "error") observer.error(injectedUnavailable(callee, outcome.faultIds));
          else if (outcome.result === "unreachable") observer.error(injectedRefusal(callee, outcome.faultIds));
          // "timeout": no answer ever; the client's deadline (timeoutLink) ends the call.
        };
        if (outcome.delayMs <= 0) {
          proceed();
          return () => subscription?.unsubscribe();
        }
        let closed = false;
        const onAbort = () => {
          clearTimeout(timer);
          // Later, not now: a deadline aborts first and unsubscribes right after, and its own
          // message ("did not answer within") is the one the caller must get.
          queueMicrotask(() => {
            if (!closed)
              observer.error(TRPCClientError.from(op.signal?.reason instanceof Error ? op.signal.reason : new Error("aborted")));
          });
        };
        const timer = setTimeout(() => {
          op.signal?.removeEventListener("abort", onAbort);
          proceed();
        }, outcome.delayMs);
        if (op.signal?.aborted) onAbort();
        else op.signal?.addEventListener("abort", onAbort, { once: true });
        return () => {
          closed = true;
          clearTimeout(timer);
          op.signal?.removeEventListener("abort", onAbort);
          subscription?.unsubscribe();
        };
      });
}
