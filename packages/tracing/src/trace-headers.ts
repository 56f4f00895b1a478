import { context, propagation } from "@opentelemetry/api";

/**
 * The active context as the headers that carry it (`traceparent`, and `baggage` when there is any),
 * for a transport that sends them itself: our service client, from inside the call's span
 * (`client-span.ts`), so that the callee's server span is the child of the call's span and a hop is
 * two spans, one in each process. Empty when tracing is off.
 */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Whether an outgoing request already carries its trace context (`traceHeaders`): its caller made the
 * hop's client span, so the HTTP instrumentation makes none of its own (a second client span per hop,
 * and the callee's parent would be the instrumentation's span instead of the call's).
 */
export function carriesTraceContext(headers: unknown): boolean {
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return false;
  return Object.keys(headers).some((name) => name.toLowerCase() === "traceparent");
}
