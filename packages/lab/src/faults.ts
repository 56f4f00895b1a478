/**
 * Faults a learner sets on the running system, and the one rule that says what a fault does to one
 * call. Every call between processes passes a fault point: the caller's client link for what the
 * network does (latency, errors, timeouts, an unreachable callee), the callee's runtime for what a
 * replica can bear (a CPU cost per call, a concurrency limit). Both read faults from the lab feed and
 * decide with `decide` below, so the rule is written once, for both modes.
 */
import { callerNames, serviceNames } from "@microshop/topology";
import { z } from "zod";

export const serviceNameSchema = z.enum(serviceNames, { error: `a service is one of ${serviceNames.join(", ")}` });
export const callerNameSchema = z.enum(callerNames, { error: `a caller is one of ${callerNames.join(", ")}` });

/** Where a fault acts: every call into a service, or only the calls of one caller to one callee. */
export const faultTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("service"), service: serviceNameSchema }),
  z.object({ kind: z.literal("edge"), caller: callerNameSchema, callee: serviceNameSchema }),
]);
export type FaultTarget = z.infer<typeof faultTargetSchema>;

const percent = z.number().min(0, "a rate is 0 to 1").max(1, "a rate is 0 to 1");

/** What a fault does. Every field is optional; a fault must do at least one thing. */
export const faultEffectSchema = z.object({
  /** Added before the call goes out, as the network would. */
  latencyMs: z.number().int().min(0).max(10_000, "at most 10 s of added latency").default(0),
  /** Each call's latency varies by up to this much either way (never below zero). */
  jitterMs: z.number().int().min(0).max(10_000).default(0),
  /** The share of calls answered with SERVICE_UNAVAILABLE instead of reaching the callee. */
  errorRate: percent.default(0),
  /** Every call hangs until the caller's own deadline ends it. */
  timeout: z.boolean().default(false),
  /** Every call is refused at once, as if nothing listened at the address. */
  unreachable: z.boolean().default(false),
  /** Each call to a replica of the service first burns this much CPU there (a service target only). */
  cpuMs: z.number().int().min(0).max(1_000).default(0),
  /** Each replica serves at most this many calls at once; the rest wait their turn (a service target only). */
  concurrency: z.number().int().min(1).max(256).optional(),
});
export type FaultEffect = z.infer<typeof faultEffectSchema>;

function doesSomething(effect: FaultEffect): boolean {
  return (
    effect.latencyMs > 0 ||
    effect.jitterMs > 0 ||
    effect.errorRate > 0 ||
    effect.timeout ||
    effect.unreachable ||
    effect.cpuMs > 0 ||
    effect.concurrency !== undefined
  );
}

/** A fault as a learner asks for it (the dashboard, the control API, a scenario). */
export const faultInputSchema = faultEffectSchema
  .extend({ target: faultTargetSchema })
  .refine(doesSomething, { message: "A fault must add latency, errors, a timeout, unreachability, a CPU cost or a limit" })
  .refine((fault) => fault.target.kind === "service" || (fault.cpuMs === 0 && fault.concurrency === undefined), {
    message: "A CPU cost or a concurrency limit belongs to a service's replicas, not to an edge",
  });
export type FaultInput = z.input<typeof faultInputSchema>;

/** A fault in force: what was asked, with the id that clears it. */
export const faultSchema = faultEffectSchema.extend({
  id: z.string().min(1),
  target: faultTargetSchema,
  /** Epoch milliseconds. */
  since: z.number().int(),
});
export type Fault = z.infer<typeof faultSchema>;

/** A fault in force from what was asked: checked, its defaults filled in, with its id and since when. */
export function faultOf(input: FaultInput, id: string, since = 0): Fault {
  return { ...faultInputSchema.parse(input), id, since };
}

/** One call, as a fault point sees it. `caller` is the signing identity (a service, the storefront, the monolith). */
export interface Call {
  readonly caller: string;
  readonly callee: string;
}

/** The faults that act on one call. */
export function faultsOn(faults: readonly Fault[], call: Call): Fault[] {
  return faults.filter((fault) =>
    fault.target.kind === "service"
      ? fault.target.service === call.callee
      : fault.target.callee === call.callee && fault.target.caller === call.caller,
  );
}

/** What the client link does with one call. */
export interface NetworkOutcome {
  /** Wait this long first. */
  readonly delayMs: number;
  /** Then: send it, answer it with an error, leave it hanging, or refuse it. */
  readonly result: "pass" | "error" | "timeout" | "unreachable";
  /** The faults that shaped it, for the call's span. */
  readonly faultIds: readonly string[];
}

/**
 * The network's part of the faults on one call: latencies add up (each with its own jitter), an
 * unreachable callee beats a hanging one, which beats an error; each error rate is its own draw.
 * `random` returns [0, 1) (tests pass their own).
 */
export function decide(faults: readonly Fault[], call: Call, random: () => number = Math.random): NetworkOutcome {
  const acting = faultsOn(faults, call).filter(
    (fault) => fault.latencyMs > 0 || fault.jitterMs > 0 || fault.errorRate > 0 || fault.timeout || fault.unreachable,
  );
  let delayMs = 0;
  for (const fault of acting) delayMs += Math.max(0, fault.latencyMs + (random() * 2 - 1) * fault.jitterMs);
  const result = acting.some((fault) => fault.unreachable)
    ? "unreachable"
    : acting.some((fault) => fault.timeout)
      ? "timeout"
      : acting.some((fault) => fault.errorRate > 0 && random() < fault.errorRate)
        ? "error"
        : "pass";
  return { delayMs: Math.round(delayMs), result, faultIds: acting.map((fault) => fault.id) };
}

/** What a replica of `service` bears per call: the CPU cost and the tightest concurrency limit set on it. */
export function capacityOf(faults: readonly Fault[], service: string): { readonly cpuMs: number; readonly concurrency?: number } {
  const onService = faults.filter((fault) => fault.target.kind === "service" && fault.target.service === service);
  const limits = onService.flatMap((fault) => (fault.concurrency === undefined ? [] : [fault.concurrency]));
  const cpuMs = onService.reduce((sum, fault) => sum + fault.cpuMs, 0);
  return limits.length > 0 ? { cpuMs, concurrency: Math.min(...limits) } : { cpuMs };
}
