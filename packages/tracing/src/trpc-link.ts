import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { downstreamCode } from "@microshop/trpc-errors";
import type { TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { rpcAttributes, rpcSpanName } from "./rpc";

const tracer = trace.getTracer("@microshop/tracing");

function errorCode(error: unknown): string {
  return downstreamCode(error) ?? (error instanceof Error ? error.name : "Error");
}

/**
 * A client span per call to another service, named and attributed by the RPC conventions, with
 * the call made inside it: over HTTP the transport sends its context (`traceHeaders`), so the
 * callee's server span is its child; in-process (monolith) the callee's own work is. Any failure
 * the caller sees marks it an error, with the message a person would read.
 */
export function tracingLink<TRouter extends AnyRouter>(service: string): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const span = tracer.startSpan(rpcSpanName(service, op.path), {
          kind: SpanKind.CLIENT,
          attributes: rpcAttributes(service, op.path),
        });
        let ended = false;
        const end = (error?: unknown) => {
          if (ended) return;
          ended = true;
          if (error !== undefined) {
            span.setAttribute(ATTR_ERROR_TYPE, errorCode(error));
            span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : "The call failed" });
          }
          span.end();
        };
        const subscription = context.with(trace.setSpan(context.active(), span), () =>
          next(op).subscribe({
            next: (value) => observer.next(value),
            error: (error) => {
              end(error);
              observer.error(error);
            },
            complete: () => {
              end();
              observer.complete();
            },
          }),
        );
        return () => {
          // Unsubscribed before an answer: the caller gave up (deadline) or went away.
          if (!ended) end(new Error(`The call to ${service} was cancelled before it answered`));
          subscription.unsubscribe();
        };
      });
}
