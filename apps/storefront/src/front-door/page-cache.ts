/**
 * The storefront's page cache: the HTML of the public catalog pages (home, product, category,
 * search), kept once rendered and sent again without rendering, as a CDN in front of the shop would.
 * Rendering was most of a page view's cost (issue #12): a product page took about 28 ms of the
 * storefront's CPU even with the catalog cached, a stored page takes a copy and a nonce.
 *
 * The CSP: every page's scripts carry the nonce of the response they came in (see
 * `@microshop/web-security/csp`). A stored page is sent with a **fresh nonce**: the nonce it was
 * rendered with is a random 24-character string that appears nowhere else in the page, so the body
 * is kept cut at each occurrence and joined again around the new one, and the policy and the other
 * security headers are made for this response (`documentSecurityHeaders`). The old nonce is never
 * in a policy again, so knowing it (the first visitor saw it) gives nothing; the policy is the same
 * strict one as on a rendered page. (Hashes of the inline scripts would also do; they would need a
 * second, looser policy for stored pages, with no gain: a response is copied either way.)
 *
 * What is stored, and why it cannot hold one shopper's data:
 * - only a GET of a page `pages` names, asked as a document: Next.js's own requests (RSC payloads
 *   of client navigation, prefetches, server actions) go to Next.js every time;
 * - only from a request **without cookies**, so no session reached the render; these pages show
 *   nothing personal anyway (the cart badge and the account menu ask the BFF from the browser);
 * - only a 200 HTML answer with no Set-Cookie, whose page did not mark itself unfit to keep
 *   (`noStoreMarker`: the outage and error pages, which must not outlive an outage);
 * - never a stock level: the product page leaves its stock badge to the browser when pages are kept.
 *
 * Entries live in memory (`lru-cache`, bounded in bytes), each `ttlMs` long, as long as the catalog
 * data they were made from (`CATALOG_CACHE_SECONDS`): a page is at most twice that old. They are not
 * shared between replicas and start empty after a restart or a deploy. A miss is served by Next.js
 * as if there were no cache, streamed, and kept as it goes out; concurrent misses of one page each
 * render (no request collapsing: kept simple, and the first seconds of a cold page only).
 *
 * Written here rather than taken from a library: the HTTP caches for Node (a CDN, Varnish, undici's
 * cache interceptor) keep responses as they are, and these have to be re-stamped with a nonce.
 */
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { trace } from "@opentelemetry/api";
import { createNonce } from "@microshop/web-security/csp";
import { documentSecurityHeaders } from "@microshop/web-security/document";
import { forwardedHttps } from "@microshop/web-security/headers";
import { LRUCache } from "lru-cache";
import Negotiator from "negotiator";

/** A page puts this attribute on an element to say "do not keep me" (the outage and error pages). */
export const noStoreMarker = 'data-page-cache="no-store"';

/** The response header saying whether a page came from the cache, as a CDN's `X-Cache`. */
export const pageCacheHeader = "x-page-cache";

export interface PageCacheOptions {
  /** The paths of the pages that may be kept: public pages, the same for every visitor. */
  readonly pages: readonly RegExp[];
  /** How long a kept page is served. */
  readonly ttlMs: number;
  /** Memory for every kept page together (bodies as stored). */
  readonly maxBytes: number;
  /** A page bigger than this is not kept. */
  readonly maxPageBytes?: number;
  /** The development server's looser policy (`CspOptions.dev`); false in production. */
  readonly dev?: boolean;
  /** The clock of the entries' ages (tests move it). */
  readonly now?: () => number;
}

interface StoredPage {
  /** The body, cut at each occurrence of the nonce it was rendered with. */
  readonly parts: readonly Buffer[];
  /** Its headers but the security ones, cut the same way (Next.js's `Link` preloads carry the nonce). */
  readonly headers: ReadonlyArray<readonly [string, readonly string[]]>;
  readonly bytes: number;
}

/** Next.js's requests that are not a document: client navigation, prefetches and server actions. */
const nextRequestHeaders = [
  "rsc",
  "next-router-prefetch",
  "next-router-state-tree",
  "next-router-segment-prefetch",
  "next-action",
];

/** Headers of the response as Next.js made it that a stored copy must not repeat. */
const notRepeated = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "date",
  "set-cookie",
  "content-security-policy",
  pageCacheHeader,
]);

/** Its own nonce, read from the policy Next.js's proxy gave the response. */
const nonceInPolicy = /'nonce-([A-Za-z0-9+/_-]+={0,2})'/;

const maxKeyLength = 1_024;

export class PageCache {
  private readonly entries: LRUCache<string, StoredPage>;
  private readonly securityNames: ReadonlySet<string>;
  private readonly maxPageBytes: number;

  constructor(private readonly options: PageCacheOptions) {
    this.maxPageBytes = options.maxPageBytes ?? 2 * 1024 * 1024;
    const now = options.now;
    this.entries = new LRUCache<string, StoredPage>({
      maxSize: options.maxBytes,
      sizeCalculation: (page) => Math.max(1, page.bytes),
      ttl: options.ttlMs,
      ...(now ? { perf: { now } } : {}),
    });
    const sample = documentSecurityHeaders({ nonce: createNonce(), https: true, dev: options.dev ?? false });
    this.securityNames = new Set(Object.keys(sample).map((name) => name.toLowerCase()));
  }

  /** The key of a request this cache may answer or keep, or undefined when it goes to Next.js only. */
  keyOf(request: IncomingMessage): string | undefined {
    if (request.method !== "GET") return undefined;
    const url = request.url ?? "/";
    if (url.length > maxKeyLength || !url.startsWith("/")) return undefined;
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    if (!this.options.pages.some((page) => page.test(path))) return undefined;
    if (query !== -1 && new URLSearchParams(url.slice(query + 1)).has("_rsc")) return undefined;
    if (nextRequestHeaders.some((name) => request.headers[name] !== undefined)) return undefined;
    if (request.headers.purpose === "prefetch") return undefined;
    return url;
  }

  /** Answers `request` from the cache; false when the page is not kept (the caller renders it). */
  serve(key: string, request: IncomingMessage, response: ServerResponse): boolean {
    const page = this.entries.get(key);
    if (!page) return false;
    const nonce = createNonce();
    const nonceBytes = Buffer.from(nonce);
    const pieces: Buffer[] = [];
    page.parts.forEach((part, index) => {
      if (index > 0) pieces.push(nonceBytes);
      pieces.push(part);
    });
    const html = Buffer.concat(pieces);
    const gzip = new Negotiator(request).encoding(["gzip", "identity"]) === "gzip";
    const body = gzip ? gzipSync(html) : html;

    for (const [name, values] of page.headers)
      response.setHeader(
        name,
        values.map((value) => value.split(storedNonceMark).join(nonce)),
      );
    // Our own server speaks plain HTTP: only a proxy in front of it can say the visitor used HTTPS.
    const https = forwardedHttps(String(request.headers["x-forwarded-proto"] ?? "")) ?? false;
    for (const [name, value] of Object.entries(documentSecurityHeaders({ nonce, https, dev: this.options.dev ?? false }))) {
      response.setHeader(name, value);
    }
    const vary = String(response.getHeader("vary") ?? "");
    if (!/accept-encoding/i.test(vary)) response.setHeader("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    if (gzip) response.setHeader("Content-Encoding", "gzip");
    response.setHeader("Content-Length", body.length);
    response.setHeader(pageCacheHeader, "hit");
    trace.getActiveSpan()?.setAttribute("microshop.page_cache", "hit");
    response.statusCode = 200;
    response.end(body);
    return true;
  }

  /**
   * Lets Next.js answer a miss as usual and keeps the answer if it may be kept (see the file's
   * comment). Call before handing `response` to Next.js.
   */
  keepAnswer(key: string, request: IncomingMessage, response: ServerResponse): void {
    trace.getActiveSpan()?.setAttribute("microshop.page_cache", "miss");
    response.setHeader(pageCacheHeader, "miss");
    // A visitor with cookies may have a session: what is rendered for them is never kept.
    if (request.headers.cookie !== undefined) return;
    captureResponse(response, this.maxPageBytes, (answer) => {
      try {
        const page = answer && this.storable(answer);
        if (page) this.entries.set(key, page);
      } catch (error) {
        // A body that does not decode is not kept; the visitor already has their page.
        console.warn(`page cache: ${key} not kept: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  /** Pages kept now (expired ones not counted). */
  get size(): number {
    let count = 0;
    for (const key of this.entries.keys()) if (this.entries.has(key)) count += 1;
    return count;
  }

  clear(): void {
    this.entries.clear();
  }

  private storable(answer: CapturedAnswer): StoredPage | undefined {
    if (answer.status !== 200 || answer.headers.has("set-cookie")) return undefined;
    const type = String(answer.headers.get("content-type") ?? "");
    if (!type.startsWith("text/html")) return undefined;
    const nonce = nonceInPolicy.exec(String(answer.headers.get("content-security-policy") ?? ""))?.[1];
    if (!nonce) return undefined;
    const html = decode(answer.body, String(answer.headers.get("content-encoding") ?? "identity"));
    if (!html || html.includes(noStoreMarker)) return undefined;

    const parts = split(html, Buffer.from(nonce));
    const headers: Array<readonly [string, readonly string[]]> = [];
    for (const [name, value] of answer.headers) {
      if (notRepeated.has(name) || this.securityNames.has(name)) continue;
      const values = (Array.isArray(value) ? value : [String(value)]).map((one) => one.split(nonce).join(storedNonceMark));
      headers.push([name, values]);
    }
    return { parts, headers, bytes: html.length };
  }
}

/**
 * Where the nonce was in a stored header value. Not a possible header character (a control
 * character), so it cannot come from the page's own headers.
 */
const storedNonceMark = "\u0000nonce\u0000";

function split(body: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(separator, from); at !== -1; at = body.indexOf(separator, from)) {
    parts.push(body.subarray(from, at));
    from = at + separator.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

function decode(body: Buffer, encoding: string): Buffer | undefined {
  switch (encoding.trim().toLowerCase()) {
    case "identity":
    case "":
      return body;
    case "gzip":
      return gunzipSync(body);
    case "br":
      return brotliDecompressSync(body);
    case "deflate":
      return inflateSync(body);
    default:
      return undefined;
  }
}

interface CapturedAnswer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: ReadonlyMap<string, OutgoingHttpHeader>;
  /** As sent: compressed if Next.js compressed it. */
  readonly body: Buffer;
}

type Write = ServerResponse["write"];
type End = ServerResponse["end"];

/**
 * Copies what is written to `response` as it goes out, and hands it over once the response has
 * finished (undefined if it was cut short or grew past `limitBytes`). The response itself is
 * untouched: same bytes, same streaming. Headers given to `writeHead` are moved to `setHeader`
 * first, where `getHeaders` finds them.
 */
export function captureResponse(
  response: ServerResponse,
  limitBytes: number,
  done: (answer: CapturedAnswer | undefined) => void,
): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let overflow = false;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (overflow || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer =
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : Buffer.from(chunk as Uint8Array);
    bytes += buffer.length;
    if (bytes > limitBytes) {
      overflow = true;
      chunks.length = 0;
      return;
    }
    chunks.push(buffer);
  };

  const write = response.write.bind(response);
  const end = response.end.bind(response);
  const writeHead = response.writeHead.bind(response);
  response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  } as Write;
  response.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
  } as End;
  response.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const headers = rest.find(
      (arg): arg is OutgoingHttpHeaders | OutgoingHttpHeader[] => typeof arg === "object" && arg !== null,
    );
    const message = rest.find((arg): arg is string => typeof arg === "string");
    if (Array.isArray(headers)) {
      for (let index = 0; index + 1 < headers.length; index += 2)
        response.appendHeader(String(headers[index]), String(headers[index + 1]));
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) response.setHeader(name, value);
    }
    return message === undefined ? writeHead(status) : writeHead(status, message);
  };

  response.once("finish", () => {
    if (overflow) return done(undefined);
    const headers = new Map(
      Object.entries(response.getHeaders()).filter((entry): entry is [string, OutgoingHttpHeader] => entry[1] !== undefined),
    );
    done({ status: response.statusCode, headers, body: Buffer.concat(chunks) });
  });
  response.once("close", () => {
    if (!response.writableFinished) overflow = true;
  });
}
