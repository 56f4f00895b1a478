/**
 * A browser's view of the storefront, without the browser: tRPC over HTTP to `/api/trpc` (the same
 * wire format as `httpBatchLink` with superjson), a cookie jar for the session and visitor cookies,
 * and a deadline on every request. Each request is reported to an optional observer (the soak's
 * RequestLog) and can carry headers of the caller's (the load generator's baggage).
 */
import { transformer } from "@microshop/transformer";

/** How one shopper request ended. */
export type RequestOutcome =
  /** 2xx. */
  | "ok"
  /** 4xx: the store said no for a reason a shopper can act on (declined card, sold out). */
  | "refused"
  /** 5xx, a reset or refused connection, or the caller gave up (ABORTED): the store failed, or nobody knows. */
  | "error"
  /** No complete answer within the client's deadline. */
  | "hung";

export interface RequestRecord {
  readonly path: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: RequestOutcome;
  /** tRPC error code (4xx/5xx), or the network error's name. */
  readonly code: string | null;
}

/** Told when each request goes out and how it ended. Epoch milliseconds. */
export interface RequestObserver {
  begin(): void;
  end(record: RequestRecord): void;
}

export interface Call {
  readonly path: string;
  readonly input?: unknown;
}

/** What one procedure answered: data, or the tRPC error's code and message. */
export type CallResult<T = unknown> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly outcome: RequestOutcome };

interface WireError {
  readonly error: { readonly json?: { readonly message?: string; readonly data?: { readonly code?: string } } };
}
interface WireResult {
  readonly result: { readonly data: { readonly json: unknown; readonly meta?: unknown } };
}
type WireItem = WireError | WireResult;

export interface BffClientOptions {
  /** The storefront's origin, e.g. http://127.0.0.1:3000 (no trailing slash). */
  readonly baseUrl: string;
  /**
   * The shopper's address as the proxy in front of the storefront reports it (X-Forwarded-For). A
   * storefront that trusts one proxy hop (TRUSTED_PROXY_HOPS=1, as the soak starts it) keys its
   * per-client limits on it, so thousands of shoppers share no address; one that trusts none ignores it.
   */
  readonly clientAddress: string;
  readonly timeoutMs: number;
  readonly log?: RequestObserver;
  /** Sent with every request, beneath the client's own (origin, CSRF, cookies cannot be replaced). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts every request in flight and every later one (code ABORTED): the caller is going away. */
  readonly signal?: AbortSignal;
}

export class BffClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly options: BffClientOptions) {}

  query<T>(path: string, input?: unknown): Promise<CallResult<T>> {
    return this.send("GET", [{ path, input }]).then((results) => results[0] as CallResult<T>);
  }

  mutate<T>(path: string, input?: unknown): Promise<CallResult<T>> {
    return this.send("POST", [{ path, input }]).then((results) => results[0] as CallResult<T>);
  }

  /** Several queries in one request, as httpBatchLink sends what a page asks for at once. */
  batch(calls: readonly Call[]): Promise<CallResult[]> {
    return this.send("GET", calls);
  }

  private async send(method: "GET" | "POST", calls: readonly Call[]): Promise<CallResult[]> {
    const { baseUrl, timeoutMs, log } = this.options;
    const paths = calls.map((call) => call.path).join(",");
    const inputs = Object.fromEntries(calls.map((call, index) => [String(index), transformer.serialize(call.input)]));
    let url = `${baseUrl}/api/trpc/${paths}?batch=1`;
    if (method === "GET") url += `&input=${encodeURIComponent(JSON.stringify(inputs))}`;
    const headers: Record<string, string> = {
      ...this.options.headers,
      accept: "application/json",
      origin: baseUrl,
      referer: `${baseUrl}/`,
      "sec-fetch-site": "same-origin",
    };
    headers["x-forwarded-for"] = this.options.clientAddress;
    // What the storefront's own tRPC client sends with every call; its CSRF check wants it on mutations.
    headers["x-csrf-protection"] = "1";
    if (method === "POST") headers["content-type"] = "application/json";
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (cookie) headers.cookie = cookie;

    const startedAt = Date.now();
    log?.begin();
    const finish = (outcome: RequestOutcome, code: string | null) =>
      log?.end({ path: paths, startedAt, endedAt: Date.now(), outcome, code });
    let items: WireItem[];
    let status: number;
    const { signal: outer } = this.options;
    try {
      // The deadline covers the whole answer, body included: a half-sent body is a hang too.
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = outer ? AbortSignal.any([deadline, outer]) : deadline;
      const response = await fetch(url, {
        method,
        headers,
        signal,
        ...(method === "POST" ? { body: JSON.stringify(inputs) } : {}),
      });
      status = response.status;
      this.keepCookies(response.headers.getSetCookie());
      const text = await response.text();
      items = parseItems(text, calls.length);
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const abandoned = outer?.aborted === true;
      const hung = !abandoned && (name === "TimeoutError" || name === "AbortError");
      const outcome: RequestOutcome = hung ? "hung" : "error";
      const code = abandoned ? "ABORTED" : hung ? "TIMEOUT" : networkCode(error);
      finish(outcome, code);
      return calls.map(() => ({ ok: false, code, message: error instanceof Error ? error.message : String(error), outcome }));
    }
    const results = items.map((item): CallResult => {
      if ("result" in item)
        return { ok: true, data: transformer.deserialize(item.result.data as Parameters<typeof transformer.deserialize>[0]) };
      const code = item.error.json?.data?.code ?? "UNKNOWN";
      return {
        ok: false,
        code,
        message: item.error.json?.message ?? "no message",
        outcome: status >= 500 || isOutageCode(code) ? "error" : "refused",
      };
    });
    const worst = results.find((result) => !result.ok && result.outcome === "error") ?? results.find((result) => !result.ok);
    if (worst && !worst.ok) finish(worst.outcome, worst.code);
    else finish(status >= 500 ? "error" : "ok", status >= 500 ? `HTTP_${status}` : null);
    return results;
  }

  private keepCookies(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(";");
      const separator = pair?.indexOf("=") ?? -1;
      if (!pair || separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute));
      if (value === "" || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

const outageCodes = new Set(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "BAD_GATEWAY", "GATEWAY_TIMEOUT", "TIMEOUT"]);

function isOutageCode(code: string): boolean {
  return outageCodes.has(code);
}

function parseItems(text: string, expected: number): WireItem[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw Object.assign(new Error(`not JSON: ${text.slice(0, 120)}`), { name: "BadResponse" });
  }
  const items = Array.isArray(body) ? (body as WireItem[]) : [body as WireItem];
  if (items.length !== expected)
    throw Object.assign(new Error(`expected ${expected} results, got ${items.length}`), { name: "BadResponse" });
  return items;
}

/** ECONNREFUSED, ECONNRESET ... from undici's `cause`, else the error's name. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  return error instanceof Error ? error.name : "Error";
}
