import { SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { ATTR_RPC_METHOD, ATTR_RPC_SERVICE, ATTR_RPC_SYSTEM } from "@opentelemetry/semantic-conventions/incubating";

/** `rpc.system` of our calls: the RPC conventions name the framework. */
export const RPC_SYSTEM_TRPC = "trpc";

/** The RPC conventions' span name: `{rpc.service}/{rpc.method}`, e.g. `inventory/reservations.reserve`. */
export function rpcSpanName(service: string, method: string): string {
  return `${service}/${method}`;
}

export function rpcAttributes(service: string, method: string): Attributes {
  return { [ATTR_RPC_SYSTEM]: RPC_SYSTEM_TRPC, [ATTR_RPC_SERVICE]: service, [ATTR_RPC_METHOD]: method };
}

// `/trpc/<method>` (a service), `/<service>/trpc/<method>` (the monolith's mounts), `/api/trpc/<method>` (a BFF).
const trpcPath = /^\/(?:([a-z][a-z0-9-]*)\/)?(?:api\/)?trpc\/([^/?]+)/;

/** A path part percent-decoded, or as sent when its encoding is malformed (any caller can send one). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The name and RPC attributes of an incoming request's server span; see `nameServerSpan`. */
export function serverSpanIdentity(httpMethod: string, url: string, service: string): { name: string; attributes: Attributes } {
  const match = trpcPath.exec(url);
  if (match) {
    const method = decoded(match[2] ?? "");
    const callee = match[1] && match[1] !== "api" ? match[1] : service;
    return { name: rpcSpanName(callee, method), attributes: rpcAttributes(callee, method) };
  }
  return { name: `${httpMethod} ${url.split("?", 1)[0] ?? "/"}`.slice(0, 120), attributes: {} };
}

/**
 * Names an incoming HTTP request's server span after the tRPC procedure it serves (several,
 * comma-separated, for a batch); other requests get `<METHOD> <path>`. `service` is the process's
 * own service name; a monolith mount names its own.
 */
export function nameServerSpan(span: Span, httpMethod: string, url: string, service: string): void {
  const { name, attributes } = serverSpanIdentity(httpMethod, url, service);
  span.updateName(name);
  span.setAttributes(attributes);
}

/** Server spans a procedure's failure was recorded on: their status says more than the HTTP status would. */
const procedureFailures = new WeakSet<Span>();

/** True once `recordProcedureError` marked this span. */
export function hasProcedureError(span: Span): boolean {
  return procedureFailures.has(span);
}

/**
 * Marks the active server span failed. Only faults of the server itself (5xx) count, as in the
 * RPC conventions: a refusal of bad input is the caller's failure, and the caller's span says so.
 */
export function recordProcedureError(code: string, httpStatus: number, message: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  procedureFailures.add(span);
  span.setAttribute(ATTR_ERROR_TYPE, code);
  if (httpStatus >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message });
}
