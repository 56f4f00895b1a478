/**
 * The public OTLP relay against what anyone on the internet may send it: a chunked body that never
 * says how long it is, a flood from one client, spans that claim to come from a service.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { socketAddressHeader } from "./client-address";
import { BROWSER_SERVICE_NAME, createOtelRelay, type OtelRelayOptions } from "./otel-relay";

/** A relay whose upstream records what it was sent. */
function relayWith(options: Partial<OtelRelayOptions> = {}) {
  const sent: string[] = [];
  const relay = createOtelRelay({
    upstreamUrl: "http://telemetry.test/v1/traces",
    maxBytes: 1_000,
    exportsPerWindow: 1_000,
    windowSeconds: 60,
    fetch: (_url, init) => {
      sent.push(typeof init?.body === "string" ? init.body : "");
      return Promise.resolve(Response.json({}));
    },
    ...options,
  });
  return { relay, sent };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://shop.test/api/otel/v1/traces", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);

/** A body streamed in chunks, without Content-Length; counts the chunks actually pulled. */
function chunked(chunks: number, size: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return { body, pulled: () => pulled };
}

const exportOf = (service: string) =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: "service.name", value: { stringValue: service } },
            { key: "telemetry.sdk.language", value: { stringValue: "webjs" } },
          ],
        },
        scopeSpans: [{ spans: [] }],
      },
    ],
  });

describe("the OTLP relay", () => {
  it("counts a chunked body while it streams and stops reading past the limit", async () => {
    const { relay, sent } = relayWith();
    const stream = chunked(1_000, 100);
    const response = await relay(post(stream.body));
    expect(response.status).toBe(413);
    expect(stream.pulled()).toBeLessThan(20);
    expect(sent).toEqual([]);
  });

  it("passes on an export within the limit, every resource restamped as the browser", async () => {
    const { relay, sent } = relayWith();
    const response = await relay(post(exportOf("payment")));
    expect(response.status).toBe(200);
    const relayed = JSON.parse(sent[0] ?? "{}") as {
      resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue: string } }> } }>;
    };
    const attributes = relayed.resourceSpans[0]?.resource.attributes ?? [];
    expect(attributes.filter((attribute) => attribute.key === "service.name")).toEqual([
      { key: "service.name", value: { stringValue: BROWSER_SERVICE_NAME } },
    ]);
    expect(attributes).toContainEqual({ key: "telemetry.sdk.language", value: { stringValue: "webjs" } });
  });

  it("lets each client send only so many exports a window, and says when to come back", async () => {
    const { relay } = relayWith({ exportsPerWindow: 3, windowSeconds: 60 });
    // The socket's address as the storefront stamps it (client-address.ts); X-Forwarded-For is the client's own word.
    const from = (address: string, forged = "192.0.2.99") =>
      relay(post(exportOf("browser"), { [socketAddressHeader]: address, "x-forwarded-for": forged }));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await from("203.0.113.7")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await from("203.0.113.7");
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await refused.json()) as { message: string }).message).toMatch(/^Too many span exports; try again in \d+ seconds$/);
    // A client that writes another X-Forwarded-For is still itself.
    expect((await from("203.0.113.7", "198.51.100.77")).status).toBe(429);
    // Another client has a budget of its own.
    expect((await from("198.51.100.2")).status).toBe(200);
  });

  it("answers any body with 200, 400 or 413, never an error of its own", async () => {
    const { relay } = relayWith();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value)),
          fc.string({ maxLength: 1_200 }),
        ),
        async (body) => {
          expect([200, 400, 413]).toContain((await relay(post(body))).status);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses anything but OTLP JSON with 415", async () => {
    const { relay } = relayWith();
    expect((await relay(post("x", { "content-type": "application/x-protobuf" }))).status).toBe(415);
  });
});
