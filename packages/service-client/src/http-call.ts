/**
 * One call to a service over HTTP, as tRPC's `httpLink` makes it with `methodOverride: "POST"` (the
 * input, serialised by the transformer, in a JSON body; the procedure's path after the mount), over a
 * keep-alive `node:http` agent, and its answer read as tRPC's client reads one (`transformResult`).
 *
 * Why not `httpLink` and tRPC's client: on a call between two services they were most of the
 * caller's cost (issue #12, the hop benchmark): a chain of observables per call, three abort
 * controllers (one of them aborted after every completed call, building a `DOMException`), a
 * fetch-shaped answer. The wire is the same, so any tRPC server (ours, or a plain adapter) answers it.
 * Why `node:http` and not undici's `Pool`: the same client runs inside the storefront's and the
 * dashboard's Next.js bundles, which would have to keep undici external; `node:http` is always
 * external, and OpenTelemetry's HTTP instrumentation leaves alone a request that carries its own
 * `traceparent` (`carriesTraceContext`). Written by hand because it is a few dozen lines over
 * `http.request`: no library offers exactly this.
 *
 * Every failure is a `TRPCClientError` its readers understand (`@microshop/trpc-errors`): the callee's
 * answer keeps its code and data; no answer is one whose cause is `TypeError("fetch failed")` with
 * the socket's error (`ECONNREFUSED`...) as its own cause, as fetch reports it, so it has no code and
 * reads as an outage; an aborted call rejects with its signal's reason.
 */
import http from "node:http";
import { TRPCClientError } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { transformResult } from "@trpc/server/unstable-core-do-not-import";
import { transformer } from "@microshop/transformer";
import { abortReason } from "./abort";

/** What one call sends. */
export interface HttpCall {
  /** The service's tRPC mount, e.g. `http://127.0.0.1:4001/trpc`. */
  readonly url: string;
  readonly path: string;
  readonly input: unknown;
  readonly headers: http.OutgoingHttpHeaders;
  readonly signal: AbortSignal;
}

/**
 * One pool per process, like fetch's global dispatcher: clients made per request share the
 * connections instead of each opening its own. Idle sockets close when the server's `Keep-Alive`
 * hint says (Node reads it), and never hold the process open.
 */
const processAgent = new http.Agent({ keepAlive: true, scheduling: "lifo" });

/** The body tRPC's `httpLink` would send: the serialised input as JSON, nothing when there is no input. */
function bodyOf(input: unknown): string | undefined {
  const serialized: unknown = transformer.serialize(input);
  return serialized === undefined ? undefined : JSON.stringify(serialized);
}

/** The procedure's address under the mount, as `httpLink` makes it. */
function addressOf(url: string, path: string): string {
  const [base = "", query] = url.split("?");
  return `${base.replace(/\/$/, "")}/${path}${query ? `?${query}` : ""}`;
}

/** The answer's body, whole. */
function readBody(response: http.IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.once("end", () => resolve((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString("utf8")));
    response.once("error", (error) =>
      reject(signal.aborted ? abortReason(signal) : new TypeError("fetch failed", { cause: error })),
    );
  });
}

/** The answer as tRPC's client reads it: the procedure's data, or a `TRPCClientError` with the callee's code and data. */
function decode(text: string, status: number): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    // Not tRPC's answer (a proxy's error page): no code, so an outage to every reader.
    throw TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause)), { meta: { status } });
  }
  const meta = { status, responseJSON: json };
  let transformed: ReturnType<typeof transformResult>;
  try {
    transformed = transformResult(json as Parameters<typeof transformResult>[0], transformer);
  } catch (cause) {
    throw TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause)), { meta });
  }
  if (!transformed.ok) throw TRPCClientError.from<AnyRouter>(transformed.error, { meta });
  return (transformed.result as { data?: unknown }).data;
}

/** Makes the call over `agent` (this process's pool by default) and answers the procedure's data. */
export function httpCall(call: HttpCall, agent: http.Agent = processAgent): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const { signal } = call;
    if (signal.aborted) return reject(abortReason(signal));
    const body = bodyOf(call.input);
    const headers: http.OutgoingHttpHeaders = { ...call.headers, "content-type": "application/json" };
    if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const request = http.request(addressOf(call.url, call.path), { method: "POST", headers, agent }, (response) => {
      readBody(response, signal).then(
        (text) => {
          if (settled) return;
          settled = true;
          try {
            resolve(decode(text, response.statusCode ?? 0));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
    const onAbort = () => {
      fail(abortReason(signal));
      request.destroy(abortReason(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    request.once("close", () => signal.removeEventListener("abort", onAbort));
    request.once("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
    request.end(body);
  });
}
