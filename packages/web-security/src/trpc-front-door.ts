/**
 * What every HTTP call to the BFF passes before tRPC parses it: the CSRF check (mutations only come
 * from our own pages) and the body size limit. Refusals are answered in tRPC's own error format, so
 * the browser's client shows their message like any other error. Used by every BFF (storefront, dashboard).
 *
 * This runs at the route, not in a tRPC middleware, because a forged form post (`text/plain`,
 * `multipart/form-data`) never reaches a middleware: tRPC would refuse its content type first with
 * a 415, and a shopper (or a test) could not tell a forgery from a bug.
 */
import { getTRPCErrorShape, transformTRPCResponse, TRPCError, type AnyTRPCRouter } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { TRPCErrorResponse, TRPCErrorShape } from "@trpc/server/rpc";
import { readBodyWithin } from "./body-limit";
import { checkCsrf, csrfRefusalMessage } from "./csrf";

export interface FrontDoorOptions<TRouter extends AnyTRPCRouter = AnyTRPCRouter> {
  readonly router: TRouter;
  /** Where the tRPC handler is mounted: the procedure paths follow it. */
  readonly endpoint: string;
  readonly maxBodyBytes: number;
  readonly trustedOrigins: readonly string[];
}

/** An error for every procedure the request named, shaped as tRPC's fetch adapter would answer it. */
export function trpcErrorResponse<TRouter extends AnyTRPCRouter>(
  request: Request,
  options: FrontDoorOptions<TRouter>,
  error: TRPCError,
): Response {
  const url = new URL(request.url);
  const isBatch = url.searchParams.get("batch") === "1";
  const pathPart = decodeURIComponent(url.pathname.slice(options.endpoint.length + 1));
  const paths = isBatch ? pathPart.split(",") : [pathPart];
  const config: TRouter["_def"]["_config"] = options.router._def._config;
  // The shape is whatever the router's errorFormatter makes: opaque here, handed on as it is.
  const bodies = paths.map((path): TRPCErrorResponse => ({
    error: getTRPCErrorShape({
      config,
      error,
      type: request.method === "GET" ? "query" : "mutation",
      path,
      input: undefined,
      ctx: undefined,
    }) as TRPCErrorShape,
  }));
  const payload = transformTRPCResponse(config, isBatch ? bodies : bodies[0]!);
  return Response.json(payload, { status: getHTTPStatusCodeFromError(error), headers: { "Cache-Control": "no-store" } });
}

/**
 * The request to hand to tRPC (its body already read within the limit), or the refusal to send.
 */
export async function passFrontDoor<TRouter extends AnyTRPCRouter>(
  request: Request,
  options: FrontDoorOptions<TRouter>,
): Promise<Request | Response> {
  const verdict = checkCsrf(request, { trustedOrigins: options.trustedOrigins });
  if (!verdict.ok) {
    console.warn(`BFF refused ${request.method} ${new URL(request.url).pathname}: ${verdict.reason}`);
    return trpcErrorResponse(request, options, new TRPCError({ code: "FORBIDDEN", message: csrfRefusalMessage }));
  }
  if (request.method === "GET" || request.method === "HEAD") return request;
  const body = await readBodyWithin(request, options.maxBodyBytes);
  if (!body.ok) {
    return trpcErrorResponse(
      request,
      options,
      new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "That request is too large." }),
    );
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body: body.body, signal: request.signal });
}
