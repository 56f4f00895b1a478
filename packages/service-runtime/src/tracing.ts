/**
 * Tracing as a service process runs it: the Node SDK of `@microshop/tracing/node`, except that the
 * HTTP instrumentation makes no server spans, because the runtime's request listener makes its own
 * (`routing.ts`, with `@microshop/tracing/server-span`, which says why). Call it from the service's
 * `instrumentation.ts`, imported before anything it observes; this module loads nothing else.
 */
import { startNodeTracing } from "@microshop/tracing/node";

/** Starts tracing once per process; false when `OTEL_SDK_DISABLED=true`. */
export function startServiceTracing(serviceName: string): boolean {
  return startNodeTracing({ serviceName, incomingRequests: false });
}
