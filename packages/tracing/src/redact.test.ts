/**
 * Spans go through the same processors as in every process (`testing.ts`), so what is checked here
 * is what an exporter would send: no query value, secret field or credential-shaped value.
 */
import { SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { carriesCredential, REDACTED, redactUrl } from "./redact";
import { recordSpans } from "./testing";

const exporter = recordSpans();
const tracer = trace.getTracer("test");
beforeEach(() => exporter.reset());

// Shaped like the real ones: 32 random bytes in base64url, and the storefront's visitor cookie.
const sessionToken = "pZ3c8K1xQ-9vLm_Tq2Rw7YbN4sFhJ0aE6uGdXiVoC5k";
const visitorId = "v_3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";
const input = encodeURIComponent(JSON.stringify({ json: { token: sessionToken, visitorId } }));

function exported(attributes: Attributes, end?: (span: ReturnType<typeof tracer.startSpan>) => void) {
  const span = tracer.startSpan("GET", { attributes });
  end?.(span);
  span.end();
  return exporter.getFinishedSpans().at(-1)!;
}

describe("spans as exported", () => {
  it("keep a URL's path and parameter names, never the query's values", () => {
    const span = exported({
      "url.full": `http://127.0.0.1:4007/trpc/sessions.validate?input=${input}&batch=1`,
      "http.target": `/trpc/sessions.validate?input=${input}`,
      "http.url": `http://127.0.0.1:4007/trpc/sessions.validate?input=${input}#${sessionToken}`,
      "url.query": `input=${input}`,
    });
    expect(span.attributes).toMatchObject({
      "url.full": `http://127.0.0.1:4007/trpc/sessions.validate?input=${REDACTED}&batch=${REDACTED}`,
      "http.target": `/trpc/sessions.validate?input=${REDACTED}`,
      "http.url": `http://127.0.0.1:4007/trpc/sessions.validate?input=${REDACTED}#${REDACTED}`,
      "url.query": `input=${REDACTED}`,
    });
  });

  it("hold no value of a field named for a secret: cookies, authorization, service tokens, passwords", () => {
    const span = exported({
      "http.request.header.cookie": `ms_session=${sessionToken}`,
      "http.request.header.authorization": "Bearer abc",
      "http.request.header.x-service-token": "eyJhbGciOiJIUzI1NiJ9.e30.sig",
      "http.response.header.set-cookie": `ms_visitor=${visitorId}`,
      "app.user.password": "correct horse battery",
    });
    for (const value of Object.values(span.attributes)) expect(value).toBe(REDACTED);
  });

  it("hold no credential-shaped value anywhere: attributes, span name, events or status message", () => {
    const span = exported(
      { "app.note": `cart ${visitorId} of ${sessionToken}`, "app.payment": "card 4242 4242 4242 4242" },
      (span) => {
        span.updateName(`GET /trpc/sessions.validate?input=${input}`);
        span.recordException(new Error(`session ${sessionToken} is not valid`));
        span.setStatus({ code: SpanStatusCode.ERROR, message: `no cart for ${visitorId}` });
      },
    );
    const everything = JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status });
    for (const secret of [sessionToken, visitorId, "4242 4242 4242 4242", input]) expect(everything).not.toContain(secret);
    expect(span.name).toBe("GET /trpc/sessions.validate");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: `no cart for ${REDACTED}` });
  });

  it("keep what is not a secret as it was", () => {
    const kept = {
      "http.route": "/trpc/[trpc]",
      "url.path": "/p/enamel-kettle-with-a-rather-long-descriptive-slug-name",
      "rpc.method": "catalog.search",
      "microshop.test_id": "a1b2c3-0-lxyz",
      "app.trace": "0af7651916cd43dd8448eb211c80319c",
      "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      "app.order": "order 1234567890123 of 2040-12",
    };
    expect(exported(kept).attributes).toEqual(kept);
  });

  it("redact numbers and lists too: a number under a secret's name, a token inside a list", () => {
    const span = exported({
      "app.card.number": 4242424242424242,
      "http.server.request.duration": 12.5,
      "app.tokens": ["plain", sessionToken],
      "app.tags": ["a", "b"],
      "app.ok": true,
    });
    expect(span.attributes).toEqual({
      "app.card.number": REDACTED,
      "http.server.request.duration": 12.5,
      "app.tokens": ["plain", REDACTED],
      "app.tags": ["a", "b"],
      "app.ok": true,
    });
  });
});

describe("credential shapes", () => {
  it("are recognised raw, in JSON and in URL-encoded JSON, and a URL without a query is left alone", () => {
    for (const text of [
      sessionToken,
      visitorId,
      `{"token":"${sessionToken}"}`,
      input,
      "4242424242424242",
      "4000-0000-0000-0002",
      // A database URL's password (hex: no mixed case to give it away), as an error message may quote it.
      "connect failed: postgres://microshop:0b5e7c9a1f2d3e4a5b6c7d8e9f00112233445566aabbccdd@127.0.0.1:5532/order",
      // A short one, which looks like nothing else.
      "connect failed: postgres://microshop:hunter2@127.0.0.1:5532/order",
    ]) {
      expect(carriesCredential(text), text).toBe(true);
    }
    expect(carriesCredential("postgres://microshop@127.0.0.1:5532/order and http://127.0.0.1:3000/p/kettle")).toBe(false);
    expect(carriesCredential("4242424242424241")).toBe(false);
    expect(redactUrl("http://127.0.0.1:3000/p/kettle")).toBe("http://127.0.0.1:3000/p/kettle");
  });
});
