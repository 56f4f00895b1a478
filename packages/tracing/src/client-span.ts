import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { downstreamCode } from "@microshop/trpc-errors";
import { rpcAttributes, rpcSpanName } from "./rpc";

const tracer = trace.getTracer("@microshop/tracing");

function errorCode(error: unknown): string {
  return downstreamCode(error) ?? (error instanceof Error ? error.name : "Error");
}

/**
 * A client span for one call to another service, named and attributed by the RPC conventions, with
 * the call made inside it: over HTTP the transport sends its context (`traceHeaders`), so the
 * callee's server span is its child; in-process (monolith) the callee's own work is. Any failure
 * the caller sees marks it an error, with the message a person would read. The call must settle
 * when it is given up on (the client factory's deadline aborts it), so that the span ends.
 */
export async function traceCall<T>(service: string, path: string, call: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(rpcSpanName(service, path), {
    kind: SpanKind.CLIENT,
    attributes: rpcAttributes(service, path),
  });
  try {
    const result = await context.with(trace.setSpan(context.active(), span), call);
    span.end();
    return result;
  } catch (error) {
    span.setAttribute(ATTR_ERROR_TYPE, errorCode(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : "The call failed" });
    span.end();
    throw error;
  }
}
