/**
 * The server span of a request our service runtime serves, made by the runtime's request listener
 * instead of the HTTP instrumentation, which `startNodeTracing({ instrumentHttp: false })` leaves
 * out of those processes.
 *
 * Why by hand: on the hop benchmark, the instrumentation's incoming path was most of what tracing
 * cost a call between services, recorded or not (docs/benchmarks.md, "The hop"). For every request
 * it binds the request's and the response's event emitters to the context, parses the URL, reads
 * headers for two generations of the semantic conventions' attributes and times a metric. A server
 * span needs less:
 * - the caller's context (`traceparent`, `baggage`), read with the global propagator, so the SDK's
 *   parent-based sampler decides as it would;
 * - a SERVER span named and attributed by the RPC conventions (`serverSpanIdentity`), with the
 *   stable HTTP attributes;
 * - the handler run inside it: everything it awaits or schedules carries the span;
 * - the span ended when the response closes, with the status code. A 5xx is an error, and a
 *   failure the procedure recorded (`recordProcedureError`) keeps its code and message.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from "@opentelemetry/semantic-conventions";
import { hasProcedureError, serverSpanIdentity } from "./rpc";

/**
 * Asked for at each request, not once at load: a tracer taken before the SDK is registered stays a
 * no-op when the SDK registers through another copy of the API (the storefront's server is its own
 * bundle, Next.js's instrumentation another). The provider keeps its tracers, so this is a lookup.
 */
const tracer = () => trace.getTracer("@microshop/tracing");

// Requests that are the machinery, not the shop: probes, static assets, and the browser's own span export.
const untracedPaths = /^\/(healthz|readyz|api\/health|api\/otel\/|_next\/|favicon)/;

/** True for a request that gets no server span, whoever makes them (this file or the HTTP instrumentation). */
export function isUntracedPath(url: string): boolean {
  return untracedPaths.test(url);
}

/**
 * Runs `handle` inside the server span of `req`. `service` is the process's own service name
 * (a monolith mount's path names its own).
 */
export function serveTraced(req: IncomingMessage, res: ServerResponse, service: string, handle: () => void): void {
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const { name, attributes } = serverSpanIdentity(method, url, service);
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer().startSpan(
    name,
    {
      kind: SpanKind.SERVER,
      attributes: {
        ...attributes,
        [ATTR_HTTP_REQUEST_METHOD]: method,
        // The path only: a query string is never recorded.
        [ATTR_URL_PATH]: url.split("?", 1)[0] ?? "/",
        [ATTR_URL_SCHEME]: "http",
      },
    },
    parent,
  );
  if (span.isRecording()) {
    res.once("close", () => {
      if (res.headersSent) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
        if (res.statusCode >= 500 && !hasProcedureError(span)) {
          span.setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      } else {
        // The caller went away before any answer (its deadline passed): not the server's fault.
        span.setAttribute(ATTR_ERROR_TYPE, "aborted");
      }
      span.end();
    });
  }
  context.with(trace.setSpan(parent, span), handle);
}
