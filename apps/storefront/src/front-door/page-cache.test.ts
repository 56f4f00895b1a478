import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { createNonce } from "@microshop/web-security/csp";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cataloguePages, frontDoor, type RequestHandler } from "./front-door";
import { noStoreMarker, PageCache, pageCacheHeader } from "./page-cache";

/** What the stand-in for Next.js answers: a page with its scripts under the response's nonce, as Next.js and our Proxy make it. */
interface Rendering {
  status?: number;
  headers?: OutgoingHttpHeaders;
  /** The body, `{nonce}` standing for this response's nonce. */
  html?: string;
  /** Send it gzipped, as `next start` does for a browser. */
  gzip?: boolean;
  /** Cut the connection halfway. */
  cut?: boolean;
}

const page = (title: string) =>
  `<!DOCTYPE html><html><head><link rel="stylesheet" href="/a.css" nonce="{nonce}"></head><body><h1>${title}</h1>` +
  `<script src="/_next/static/chunks/main.js" async="" nonce="{nonce}"></script>` +
  `<script nonce="{nonce}">self.__next_f.push([1,"${title}"])</script></body></html>`;

let server: Server | undefined;
let clock = 0;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A front door over a stand-in Next.js that counts its renders and answers with `render()`. */
async function start(render: (request: IncomingMessage) => Rendering = () => ({})) {
  clock = 1_000; // not 0: the cache reads a start time of 0 as "no time limit"
  const cache = new PageCache({ pages: cataloguePages, ttlMs: 60_000, maxBytes: 1024 * 1024, now: () => clock });
  const renders: string[] = [];
  const next: RequestHandler = (request, response) => {
    renders.push(request.url ?? "");
    const rendering = render(request);
    const nonce = createNonce();
    const html = Buffer.from((rendering.html ?? page("Stoneware mug")).replaceAll("{nonce}", nonce));
    const body = rendering.gzip ? gzipSync(html) : html;
    const headers: OutgoingHttpHeaders = {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
      link: `</a.css>; rel=preload; as="style"; nonce="${nonce}"`,
      vary: "rsc, Accept-Encoding",
      ...(rendering.gzip ? { "content-encoding": "gzip" } : {}),
      ...rendering.headers,
    };
    // As Next.js streams: the head of the page first, the rest later, headers through writeHead.
    response.writeHead(rendering.status ?? 200, headers);
    response.write(body.subarray(0, 40));
    if (rendering.cut) {
      setTimeout(() => response.destroy(), 10);
      return;
    }
    setTimeout(() => response.end(body.subarray(40)), 5);
  };
  server = createServer(frontDoor(next, cache));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { cache, renders, get: (path: string, headers: OutgoingHttpHeaders = {}) => get(port, path, headers) };
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly nonce: string | undefined;
}

function get(port: number, path: string, headers: OutgoingHttpHeaders): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const raw = Buffer.concat(chunks);
        const body = (response.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
        const nonce = /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"] ?? ""))?.[1];
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, nonce });
      });
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** Waits until `count` pages are kept: a page is stored on its response's `finish`, on the server's side. */
const kept = (cache: PageCache, count: number) => vi.waitFor(() => expect(cache.size).toBe(count));
/** Lets a response's `finish` run, for a page that must not be kept. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("the page cache", () => {
  it("sends a kept page again without rendering it, under a fresh nonce and the same strict policy", async () => {
    const shop = await start();
    const first = await shop.get("/p/stoneware-mug");
    expect(first.headers[pageCacheHeader]).toBe("miss");
    await kept(shop.cache, 1);

    const second = await shop.get("/p/stoneware-mug");
    const third = await shop.get("/p/stoneware-mug");
    expect(shop.renders).toEqual(["/p/stoneware-mug"]);
    expect(second.headers[pageCacheHeader]).toBe("hit");
    expect(second.status).toBe(200);
    for (const kept of [second, third]) {
      // Byte for byte the rendered page, but every nonce is this response's, and the policy names it.
      expect(kept.body).toBe(first.body.replaceAll(first.nonce!, kept.nonce!));
      expect(kept.body).not.toContain(first.nonce);
      expect(kept.headers["content-security-policy"]).toMatch(
        new RegExp(`script-src 'self' 'nonce-${kept.nonce!.replaceAll("+", "\\+")}' 'strict-dynamic'`),
      );
      expect(kept.headers.link).toBe(`</a.css>; rel=preload; as="style"; nonce="${kept.nonce}"`);
      expect(kept.headers["x-frame-options"]).toBe("DENY");
      expect(kept.headers["content-type"]).toBe("text/html; charset=utf-8");
    }
    expect(new Set([first.nonce, second.nonce, third.nonce]).size).toBe(3);
  });

  it("keeps a page Next.js sent gzipped, and gzips a kept page for a client that takes it", async () => {
    const shop = await start(() => ({ gzip: true }));
    const first = await shop.get("/c/kitchen", { "accept-encoding": "gzip" });
    await kept(shop.cache, 1);
    const zipped = await shop.get("/c/kitchen", { "accept-encoding": "gzip, br" });
    const plain = await shop.get("/c/kitchen");
    expect(shop.renders).toHaveLength(1);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    for (const kept of [zipped, plain]) expect(kept.body).toBe(first.body.replaceAll(first.nonce!, kept.nonce!));
  });

  it("keeps one page per address, query included", async () => {
    const shop = await start((request) => ({ html: page(`Results for ${request.url}`) }));
    await shop.get("/search?q=lamp");
    await shop.get("/search?q=mug");
    await kept(shop.cache, 2);
    expect((await shop.get("/search?q=lamp")).body).toContain("Results for /search?q=lamp");
    expect((await shop.get("/search?q=mug")).body).toContain("Results for /search?q=mug");
    expect(shop.renders).toEqual(["/search?q=lamp", "/search?q=mug"]);
  });

  it("renders again once a page's time is up", async () => {
    const shop = await start();
    await shop.get("/");
    await kept(shop.cache, 1);
    clock = 60_000;
    expect((await shop.get("/")).headers[pageCacheHeader]).toBe("hit");
    clock = 62_000;
    expect((await shop.get("/")).headers[pageCacheHeader]).toBe("miss");
    expect(shop.renders).toEqual(["/", "/"]);
  });

  it.each<[string, string, OutgoingHttpHeaders, Rendering]>([
    ["a visitor's own render (cookies: a session may have reached it)", "/p/mug", { cookie: "session=abc" }, {}],
    ["an answer that sets a cookie", "/p/mug", {}, { headers: { "set-cookie": "a=b" } }],
    ["a missing product", "/p/nothing", {}, { status: 404 }],
    [
      "a page that marked itself (the outage page)",
      "/p/mug",
      {},
      { html: `<div ${noStoreMarker}>The catalog is taking a short break</div>` },
    ],
    ["an answer cut short", "/p/mug", {}, { cut: true }],
    ["a page not on the list", "/cart", {}, {}],
    ["Next.js's payload for client navigation", "/p/mug", { rsc: "1" }, {}],
    ["a prefetch", "/p/mug?_rsc=abc", {}, {}],
    ["an answer that is not HTML", "/search", {}, { headers: { "content-type": "application/json" } }],
  ])("never keeps %s", async (_case, path, headers, rendering) => {
    const shop = await start(() => rendering);
    await shop.get(path, headers).catch(() => undefined);
    await settled();
    await shop.get(path, headers).catch(() => undefined);
    await settled();
    expect(shop.renders).toEqual([path, path]);
    expect(shop.cache.size).toBe(0);
  });

  it("serves a kept page to a visitor with cookies: the pages it keeps show nothing personal", async () => {
    const shop = await start();
    await shop.get("/p/mug");
    await kept(shop.cache, 1);
    expect((await shop.get("/p/mug", { cookie: "session=abc" })).headers[pageCacheHeader]).toBe("hit");
  });

  it("adds HSTS to a kept page that came over HTTPS through a proxy", async () => {
    const shop = await start();
    await shop.get("/");
    await kept(shop.cache, 1);
    expect((await shop.get("/", { "x-forwarded-proto": "https" })).headers["strict-transport-security"]).toMatch(/max-age=/);
    expect((await shop.get("/")).headers["strict-transport-security"]).toBeUndefined();
  });
});

describe("the front door", () => {
  it("renders the page when the cache fails, rather than leaving the visitor without an answer", async () => {
    class BrokenCache extends PageCache {
      override serve(): boolean {
        throw new Error("broken");
      }
    }
    const cache = new BrokenCache({ pages: cataloguePages, ttlMs: 1_000, maxBytes: 1_000 });
    server = createServer(frontDoor((_request, response) => void response.end("rendered"), cache));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const answer = await get((server.address() as AddressInfo).port, "/", {});
    expect(answer.body).toBe("rendered");
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("broken"));
    errors.mockRestore();
  });
});
