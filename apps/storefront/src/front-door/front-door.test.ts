import { createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanKind, trace } from "@opentelemetry/api";
import { recordSpans } from "@microshop/tracing/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cataloguePages, frontDoor } from "./front-door";
import { PageCache } from "./page-cache";

const spans = recordSpans();
let server: Server;
let port = 0;
/** The span each request Next.js answered ran under (undefined: none). */
const seenByNext: Array<string | undefined> = [];
const cache = new PageCache({ pages: cataloguePages, ttlMs: 60_000, maxBytes: 1024 * 1024 });

beforeAll(async () => {
  server = createServer(
    frontDoor(
      (_request, response) => {
        seenByNext.push(trace.getActiveSpan()?.spanContext().spanId);
        response.setHeader("content-type", "text/html");
        response.setHeader("content-security-policy", "script-src 'nonce-bm9uY2Vub25jZW5vbmNlMTI='");
        response.end('<script nonce="bm9uY2Vub25jZW5vbmNlMTI=">1</script>');
      },
      cache,
      { traced: true },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function get(path: string, headers: OutgoingHttpHeaders = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: "127.0.0.1", port, path, headers }, (response) => response.resume().on("end", resolve))
      .on("error", reject)
      .end();
  });
}

const serverSpans = () => spans.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);

describe("the front door's spans", () => {
  it("makes every page view's server span, a kept one's too, with Next.js's work inside it", async () => {
    spans.reset();
    seenByNext.length = 0;
    await get("/p/mug");
    await vi.waitFor(() => expect(cache.size).toBe(1));
    await get("/p/mug");
    await vi.waitFor(() => expect(serverSpans()).toHaveLength(2));

    const [rendered, kept] = serverSpans();
    expect(rendered?.name).toBe("GET /p/mug");
    expect(rendered?.attributes["microshop.page_cache"]).toBe("miss");
    expect(rendered?.attributes["http.response.status_code"]).toBe(200);
    expect(seenByNext).toEqual([rendered?.spanContext().spanId]);
    expect(kept?.attributes["microshop.page_cache"]).toBe("hit");
  });

  it("continues the caller's trace, and leaves the machinery's requests out", async () => {
    spans.reset();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await get("/api/trpc/stock.forProduct", { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    await get("/_next/static/chunks/main.js");
    await get("/api/health");
    await vi.waitFor(() => expect(serverSpans()).toHaveLength(1));
    expect(serverSpans()[0]?.spanContext().traceId).toBe(traceId);
    expect(serverSpans()[0]?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
  });
});
