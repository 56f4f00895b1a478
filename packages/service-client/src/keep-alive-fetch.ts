/**
 * The `fetch` the client factory hands tRPC's `httpLink`: a POST over a keep-alive `node:http`
 * agent, answering the small part of a `Response` the link reads (`ok`, `status`, `json()`).
 *
 * Why not the global fetch: on a call between two services it was the larger half of the client's
 * cost (a `Request`, web streams for a body already in memory, a `Response`), and undici wrote the
 * headers and the body in separate writes. Why `node:http` and not undici's `Pool`: the same client
 * runs inside the storefront's and the dashboard's Next.js bundles, which would have to keep undici
 * external; `node:http` is always external, and OpenTelemetry's HTTP instrumentation (already on in
 * every process) puts `traceparent` on its requests as the undici instrumentation did on fetch's.
 * Written by hand because it is a dozen lines over `http.request`: no library offers exactly this.
 *
 * It fails as fetch does, so every reader of a failed call keeps working: no answer is a
 * `TypeError("fetch failed")` whose `cause` is the socket's error (`ECONNREFUSED`...), an aborted
 * call rejects with its signal's reason.
 */
import http from "node:http";

/** What `httpLink` reads of an answer. */
export interface KeepAliveResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  json(): Promise<unknown>;
}

/** What `httpLink` passes: a method, plain headers, a JSON string, its signal. */
export interface KeepAliveRequestInit {
  readonly method?: string;
  readonly headers?: unknown;
  readonly body?: unknown;
  readonly signal?: AbortSignal | null;
}

function plainHeaders(headers: unknown): http.OutgoingHttpHeaders {
  if (headers === undefined || headers === null) return {};
  if (headers instanceof Headers) {
    const plain: http.OutgoingHttpHeaders = {};
    headers.forEach((value, name) => {
      plain[name] = value;
    });
    return plain;
  }
  if (Array.isArray(headers)) return Object.fromEntries(headers as [string, string][]);
  return { ...(headers as Record<string, string>) };
}

export type KeepAliveFetch = (url: string | URL | Request, init?: KeepAliveRequestInit) => Promise<KeepAliveResponse>;

/**
 * One pool per process, like fetch's global dispatcher: clients made per request share the
 * connections instead of each opening its own. Idle sockets close when the server's `Keep-Alive`
 * hint says (Node reads it), and never hold the process open.
 */
const processAgent = new http.Agent({ keepAlive: true, scheduling: "lifo" });

/** What fetch rejects with when its signal aborts: the signal's reason (a DOMException "AbortError" unless given one). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError");
}

/** A fetch for `httpLink` over `agent` (this process's pool by default). */
export function keepAliveFetch(agent: http.Agent = processAgent): KeepAliveFetch {
  return (input, init = {}) =>
    new Promise<KeepAliveResponse>((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) return reject(abortReason(signal));
      if (init.body !== undefined && init.body !== null && typeof init.body !== "string")
        return reject(new TypeError("keepAliveFetch sends JSON bodies only (a string)"));
      const body = init.body ?? undefined;
      const headers = plainHeaders(init.headers);
      if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
      const url = typeof input === "string" || input instanceof URL ? input : input.url;
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const request = http.request(url, { method: init.method ?? "GET", headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        let ended: Promise<Buffer> | undefined;
        const read = () =>
          (ended ??= new Promise<Buffer>((resolveBody, rejectBody) => {
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.once("end", () => resolveBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
            response.once("error", (error) =>
              rejectBody(signal?.aborted ? abortReason(signal) : new TypeError("fetch failed", { cause: error })),
            );
          }));
        const status = response.statusCode ?? 0;
        settled = true;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          headers: response.headers,
          json: async () => JSON.parse((await read()).toString("utf8")) as unknown,
        });
      });
      const onAbort = () => {
        fail(abortReason(signal as AbortSignal));
        request.destroy(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      request.once("close", () => signal?.removeEventListener("abort", onAbort));
      request.once("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
      request.end(body);
    });
}
