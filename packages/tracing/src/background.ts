import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { isTracingSuppressed, suppressTracing } from "@opentelemetry/core";

const tracer = trace.getTracer("@microshop/tracing");

/**
 * Runs a background poll without tracing it: a poller that finds nothing to do every second
 * would bury the requests people came to see. The work it finds is traced with `backgroundSpan`.
 */
export function untraced<T>(work: () => T): T {
  return context.with(suppressTracing(context.active()), work);
}

/**
 * Runs one unit of background work (deliver an email, resume a saga) in a span. Kicked by a traced
 * request (a checkout queueing its confirmation), it is part of that request's trace; found by a
 * poll, it is the root of a trace of its own.
 */
export function backgroundSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const active = context.active();
  const inRequest = !isTracingSuppressed(active) && trace.getSpan(active)?.isRecording() === true;
  return context.with(inRequest ? active : ROOT_CONTEXT, () =>
    tracer.startActiveSpan(name, { root: !inRequest, attributes }, async (span) => {
      try {
        return await work();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    }),
  );
}
