/**
 * Tracing as a service process runs it: the Node SDK of `@microshop/tracing/node` without the HTTP
 * and undici instrumentations. The runtime's request listener makes the server spans
 * (`routing.ts`, with `@microshop/tracing/server-span`, which says why), the service client the
 * client spans of the calls to other services, and a service makes no other HTTP request. Call it
 * from the service's `instrumentation.ts`, imported before anything it observes; this module loads
 * nothing else.
 */
import { startNodeTracing } from "@microshop/tracing/node";

/** Starts tracing once per process; false when `OTEL_SDK_DISABLED=true`. */
export function startServiceTracing(serviceName: string): boolean {
  return startNodeTracing({ serviceName, instrumentHttp: false });
}
