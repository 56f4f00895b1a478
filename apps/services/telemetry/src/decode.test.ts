/**
 * The OTLP decoders face whatever anyone on the network sends, so they are tested with generated
 * input (fast-check): whatever the bytes, an export is either span records within the span limits
 * or a 400 that says why, never another error (a 500, a blocked event loop, memory without bound).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exportTraceServiceRequest } from "./otlp-protobuf";
import { spanLimits, type SpanRecord } from "./otlp";
import { BadRequest, decodeTraceExport, type OtlpContentType } from "./receiver";
import { estimatedBytes } from "./store";

const traceId = "0af7651916cd43dd8448eb211c80319c";
const spanId = "b7ad6b7169203331";

/** What a kept span may cost at most, whatever was sent: the limits times the per-item estimate. */
const maxSpanBytes = estimatedBytes({
  traceId,
  spanId,
  parentSpanId: spanId,
  service: "s".repeat(spanLimits.serviceNameLength),
  name: "n".repeat(1_000),
  kind: "server",
  startMs: 0,
  durationMs: 0,
  error: true,
  statusMessage: "m".repeat(spanLimits.statusMessageLength),
  attributes: Object.fromEntries(
    Array.from({ length: spanLimits.attributes }, (_, i) => [
      `${i}`.padEnd(spanLimits.keyLength, "k"),
      "v".repeat(spanLimits.valueLength),
    ]),
  ),
  instance: "i".repeat(spanLimits.identityLength),
  version: "v".repeat(spanLimits.identityLength),
  synthetic: true,
});

/** Decodes, and says how it went: the records, or the refusal's status. Anything else is thrown. */
function outcome(type: OtlpContentType, body: Uint8Array): { records: SpanRecord[] } | { refused: number } {
  try {
    return { records: decodeTraceExport(type, body) };
  } catch (error) {
    if (error instanceof BadRequest) return { refused: error.status };
    throw error;
  }
}

function expectWithinLimits(result: ReturnType<typeof outcome>): void {
  if ("refused" in result) {
    expect(result.refused).toBe(400);
    return;
  }
  for (const record of result.records) {
    expect(Object.keys(record.attributes).length).toBeLessThanOrEqual(spanLimits.attributes);
    for (const [key, value] of Object.entries(record.attributes)) {
      expect(key.length).toBeLessThanOrEqual(spanLimits.keyLength);
      if (typeof value === "string") expect(value.length).toBeLessThanOrEqual(spanLimits.valueLength);
    }
    expect(record.statusMessage.length).toBeLessThanOrEqual(spanLimits.statusMessageLength);
    expect(record.instance?.length ?? 0).toBeLessThanOrEqual(spanLimits.identityLength);
    expect(record.version?.length ?? 0).toBeLessThanOrEqual(spanLimits.identityLength);
    expect(estimatedBytes(record)).toBeLessThanOrEqual(maxSpanBytes);
  }
}

// Values an attacker or a buggy exporter might put anywhere: plausible ones and any JSON at all.
const anything = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 6_000 }),
  fc.constantFrom("1.5", 1.5, -1, "18446744073709551616", "1".repeat(30_000), 1e300, "", "SPAN_KIND_SERVER", null),
  fc.nat(),
);
const attribute = fc.record({
  key: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 250, maxLength: 300 })),
  value: fc.oneof(
    fc.record({ stringValue: fc.string({ maxLength: 5_000 }) }),
    fc.record({ intValue: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()) }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({ arrayValue: anything }),
    anything,
  ),
});
// The resource attributes the map reads, with any value at all.
const identityAttribute = fc.record({
  key: fc.constantFrom("service.name", "service.instance.id", "service.version", "microshop.synthetic"),
  value: fc.oneof(fc.record({ stringValue: fc.string({ maxLength: 1_000 }) }), anything),
});
const jsonSpan = fc.record(
  {
    traceId: fc.oneof(fc.constant(traceId), anything),
    spanId: fc.oneof(fc.constant(spanId), anything),
    parentSpanId: fc.oneof(fc.constant(""), fc.constant(spanId), anything),
    name: fc.oneof(fc.string({ maxLength: 1_100 }), anything),
    kind: fc.oneof(fc.integer({ min: -1, max: 7 }), anything),
    startTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), anything),
    endTimeUnixNano: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), anything),
    attributes: fc.oneof(fc.array(attribute, { maxLength: 200 }), anything),
    status: fc.oneof(
      fc.record({ code: fc.oneof(fc.integer(), anything), message: fc.oneof(fc.string({ maxLength: 2_000 }), anything) }),
      anything,
    ),
    events: anything,
  },
  { requiredKeys: [] },
);
const jsonExport = fc.record({
  resourceSpans: fc.oneof(
    fc.array(
      fc.record({
        resource: fc.oneof(
          fc.record({ attributes: fc.array(attribute, { maxLength: 3 }) }),
          fc.record({ attributes: fc.array(identityAttribute, { maxLength: 3 }) }),
          anything,
        ),
        scopeSpans: fc.oneof(
          fc.array(fc.record({ spans: fc.oneof(fc.array(jsonSpan, { maxLength: 4 }), anything) }), { maxLength: 2 }),
          anything,
        ),
      }),
      { maxLength: 2 },
    ),
    anything,
  ),
});

const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("the JSON decoder", () => {
  it("answers any export-shaped body with span records within the limits or a 400", () => {
    fc.assert(
      fc.property(jsonExport, (body) => expectWithinLimits(outcome("application/json", utf8(body)))),
      { numRuns: 300 },
    );
  });

  it("answers any bytes at all with span records or a 400", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (body) => expectWithinLimits(outcome("application/json", body))),
      { numRuns: 300 },
    );
  });

  it("refuses a timestamp that is not a whole 64-bit count of nanoseconds with a 400", () => {
    const withStart = (startTimeUnixNano: unknown) =>
      utf8({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId, name: "n", startTimeUnixNano, endTimeUnixNano: "2" }] }] }],
      });
    for (const start of [1.5, "1.5", "1".repeat(400_000), "18446744073709551616", -1]) {
      expect(outcome("application/json", withStart(start))).toEqual({ refused: 400 });
    }
    expect(outcome("application/json", withStart("1000000"))).toMatchObject({ records: [{ startMs: 1 }] });
  });
});

/** A valid protobuf export of spans with the given attributes, as bytes. */
function protobufExport(attributes: Array<{ key: string; value: { stringValue: string } }>, statusMessage = ""): Uint8Array {
  const message = exportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "proto" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.from(traceId, "hex"),
                spanId: Buffer.from(spanId, "hex"),
                name: "n",
                kind: 2,
                startTimeUnixNano: "1000000",
                endTimeUnixNano: "2000000",
                attributes,
                status: { code: 2, message: statusMessage },
              },
            ],
          },
        ],
      },
    ],
  });
  return exportTraceServiceRequest.encode(message).finish();
}

describe("the protobuf decoder", () => {
  it("answers any bytes at all with span records within the limits or a 400", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (body) => expectWithinLimits(outcome("application/x-protobuf", body))),
      { numRuns: 500 },
    );
  });

  it("answers any corruption of a valid export with span records within the limits or a 400", () => {
    const valid = protobufExport([{ key: "http.route", value: { stringValue: "/trpc/x" } }], "it failed");
    const corruption = fc.array(fc.record({ at: fc.nat({ max: valid.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(corruption, (changes) => {
        const body = valid.slice();
        for (const { at, byte } of changes) body[at] = byte;
        expectWithinLimits(outcome("application/x-protobuf", body));
      }),
      { numRuns: 500 },
    );
  });

  it("reads any export as the JSON decoder reads the same export in the JSON mapping", () => {
    // One export, written both ways: protobufjs's bytes and OTLP's JSON mapping (hex ids, 64-bit
    // integers as decimal strings). Ids of the wrong length, names too long, kinds out of range and
    // oversized arrays are in it too, so the two must also refuse the same exports.
    const bytes = (length: number) =>
      fc.oneof(
        { weight: 8, arbitrary: fc.uint8Array({ minLength: length, maxLength: length }) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }) },
      );
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const double = fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (d === 0 ? 0 : d));
    const scalar = fc.oneof(
      fc.record({ stringValue: fc.string({ maxLength: 50 }) }),
      fc.record({ boolValue: fc.boolean() }),
      fc.record({ intValue: int64 }),
      fc.record({ doubleValue: double }),
    );
    const value = fc.oneof(
      { weight: 6, arbitrary: scalar },
      { weight: 1, arbitrary: fc.record({ arrayValue: fc.record({ values: fc.array(scalar, { maxLength: 130 }) }) }) },
      { weight: 1, arbitrary: fc.constant({}) },
    );
    const attributes = fc.array(
      fc.record({
        key: fc.oneof(
          fc.constantFrom("service.name", "service.instance.id", "microshop.synthetic"),
          fc.string({ maxLength: 300 }),
        ),
        value,
      }),
      { maxLength: 6 },
    );
    const span = fc.record({
      traceId: bytes(16),
      spanId: bytes(8),
      parentSpanId: fc.oneof(fc.constant(new Uint8Array()), bytes(8)),
      name: fc.string({ maxLength: 1_010 }),
      kind: fc.integer({ min: -1, max: 6 }),
      startTimeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      endTimeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      attributes,
      status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.string({ maxLength: 50 }) }),
    });
    const anExport = fc.record({
      resourceSpans: fc.array(
        fc.record({
          resource: fc.record({ attributes }),
          scopeSpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 3 }) }), { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
    });
    // The same export for each encoding: bytes as they are for protobufjs, as hex in JSON; 64-bit
    // integers as decimal strings for both.
    const mapped =
      (bytes: (value: Uint8Array) => unknown) =>
      (value: unknown): unknown =>
        value instanceof Uint8Array
          ? bytes(value)
          : typeof value === "bigint"
            ? value.toString()
            : Array.isArray(value)
              ? value.map(mapped(bytes))
              : typeof value === "object" && value !== null
                ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapped(bytes)(item)]))
                : value;
    const asJson = mapped((value) => Buffer.from(value).toString("hex"));
    const asProtobuf = (value: unknown) =>
      exportTraceServiceRequest
        .encode(exportTraceServiceRequest.fromObject(mapped((bytes) => bytes)(value) as Record<string, unknown>))
        .finish();
    fc.assert(
      fc.property(anExport, (sent) => {
        expect(outcome("application/x-protobuf", asProtobuf(sent))).toEqual(outcome("application/json", utf8(asJson(sent))));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps at most the span limits of attributes, key and value lengths and status message", () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: { stringValue: "v".repeat(10_000) } }));
    const result = outcome(
      "application/x-protobuf",
      protobufExport([{ key: "x".repeat(1_000), value: { stringValue: "long key" } }, ...many], "m".repeat(50_000)),
    );
    expectWithinLimits(result);
    expect(result).toMatchObject({ records: [{ statusMessage: "m".repeat(spanLimits.statusMessageLength) }] });
    const [record] = "records" in result ? result.records : [];
    expect(Object.keys(record?.attributes ?? {})).toHaveLength(spanLimits.attributes);
    expect(record?.attributes["k0"]).toBe("v".repeat(spanLimits.valueLength));
  });
});

describe("credentials", () => {
  const sessionToken = "Qm9vdHN0cmFwIHRoZSBzZXNzaW9uIHRva2VuIGhlcmU";
  const visitor = "v_3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";

  it("are never stored, in whatever attribute or message they arrive, raw or in a URL", () => {
    const result = outcome(
      "application/x-protobuf",
      protobufExport(
        [
          {
            key: "url.full",
            value: {
              stringValue: `http://127.0.0.1:4007/trpc/sessions.validate?input=${encodeURIComponent(JSON.stringify({ json: { token: sessionToken } }))}`,
            },
          },
          { key: "app.cart", value: { stringValue: `cart of ${visitor}` } },
          { key: "app.card", value: { stringValue: "paid with 4242 4242 4242 4242" } },
          { key: "http.route", value: { stringValue: "/trpc/sessions.validate" } },
        ],
        `session ${sessionToken} expired`,
      ),
    );
    const stored = JSON.stringify(result);
    for (const secret of [sessionToken, visitor, "4242 4242 4242 4242"]) expect(stored).not.toContain(secret);
    expect(result).toMatchObject({ records: [{ attributes: { "http.route": "/trpc/sessions.validate" } }] });
  });
});
