/**
 * OTLP/HTTP protobuf encoding, the one every OpenTelemetry SDK of ours exports in. The message
 * definitions are the part of opentelemetry-proto (Apache-2.0) that a trace export uses, field
 * numbers unchanged; protobufjs decodes with them.
 *
 * The decoded message is read into span records directly, checked against the same rules as the
 * JSON encoding's schema (`otlp.ts`), and the records are built by the same code. Hand-written
 * because the generic way (protobufjs's `toObject` into the JSON mapping, then the zod schema)
 * made three copies of every span, turned every id into base64 and then hex and every timestamp into
 * a decimal string and then a BigInt: most of the telemetry service's CPU under load, which is the
 * map's share of tracing's cost (`pnpm bench overhead`, `pnpm bench ingest`).
 */
import protobuf from "protobufjs";
import {
  attributesOf,
  keptString,
  kindOf,
  spanLimits,
  spanRecord,
  spanSource,
  type AttributeValue,
  type SpanRecord,
} from "./otlp";

const schema = `
syntax = "proto3";
package opentelemetry.proto;

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10; Status status = 15;
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
`;

/** The export message's type: what decodes a body (and, in tests, encodes one). */
export const exportTraceServiceRequest = protobuf.parse(schema).root.lookupType("opentelemetry.proto.ExportTraceServiceRequest");
const request = exportTraceServiceRequest;

/** A body that is not a protobuf export, or one that breaks a rule of OTLP or of ours: its message says which and where. */
export class MalformedExport extends Error {}

const brokenRule = (rule: string) => new MalformedExport(`Not an OTLP trace export: ${rule}`);

// The decoded messages' shapes, as far as they are read here. A field that was not sent reads as
// its default (protobufjs puts them on the prototype); `value` names the member of the oneof that was set.
interface Long {
  readonly low: number;
  readonly high: number;
}
interface ScalarValue {
  readonly value?: string;
  readonly stringValue: string;
  readonly boolValue: boolean;
  readonly intValue: Long | number;
  readonly doubleValue: number;
}
interface AnyValue extends ScalarValue {
  readonly arrayValue: { readonly values: readonly ScalarValue[] } | null;
}
interface KeyValue {
  readonly key: string;
  readonly value: AnyValue | null;
}
interface Span {
  readonly traceId: Uint8Array;
  readonly spanId: Uint8Array;
  readonly parentSpanId: Uint8Array;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: Long | number;
  readonly endTimeUnixNano: Long | number;
  readonly attributes: readonly KeyValue[];
  readonly status: { readonly code: number; readonly message: string } | null;
}
interface ExportMessage {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource: { readonly attributes: readonly KeyValue[] } | null;
    readonly scopeSpans: ReadonlyArray<{ readonly spans: readonly Span[] }>;
  }>;
}

/** A signed 64-bit integer as a number (exact up to 2^53, as the JSON mapping's are). */
const toNumber = (value: Long | number) => (typeof value === "number" ? value : value.high * 2 ** 32 + (value.low >>> 0));

/**
 * Nanoseconds since the epoch as milliseconds, cut to whole microseconds, as the JSON path does with
 * a BigInt. 2^32 = 4,294,967 × 1,000 + 296, so until 2242 (`high` under 2,000,000,000) no step leaves
 * a double's exact range; later times take the BigInt's way.
 */
function nanosToMs(value: Long | number): number {
  if (typeof value === "number") return Math.floor(value / 1_000) / 1_000;
  const high = value.high >>> 0;
  const low = value.low >>> 0;
  if (high >= 2_000_000_000) return Number(((BigInt(high) << 32n) + BigInt(low)) / 1_000n) / 1_000;
  return (high * 4_294_967 + Math.floor((high * 296 + low) / 1_000)) / 1_000;
}

function scalarOf(value: ScalarValue): AttributeValue | undefined {
  switch (value.value) {
    case "stringValue":
      return keptString(value.stringValue, spanLimits.valueLength);
    case "boolValue":
      return value.boolValue;
    case "intValue":
      return toNumber(value.intValue);
    case "doubleValue":
      return value.doubleValue;
    default:
      return undefined;
  }
}

function valueOf(value: AnyValue | null, where: string): AttributeValue | undefined {
  if (!value) return undefined;
  if (value.value === "arrayValue") {
    const values = value.arrayValue?.values ?? [];
    if (values.length > 128) throw brokenRule(`${where}: an array value holds at most 128 values`);
    const items = values.map(scalarOf).filter((item) => item !== undefined);
    return keptString(items.join(", "), spanLimits.valueLength);
  }
  return scalarOf(value);
}

const attributesAt = (list: readonly KeyValue[], where: string) => attributesOf(list, (entry) => valueOf(entry.value, where));

function id(bytes: Uint8Array, length: number, where: string): string {
  if (bytes.length !== length) throw brokenRule(`${where} must be ${length} bytes`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function decodedSpan(s: Span, where: string) {
  if (s.name.length > 1_000) throw brokenRule(`${where}.name is longer than 1000 characters`);
  if (!Number.isInteger(s.kind) || s.kind < 0 || s.kind > 5) throw brokenRule(`${where}.kind must be 0 to 5`);
  return {
    traceId: id(s.traceId, 16, `${where}.traceId`),
    spanId: id(s.spanId, 8, `${where}.spanId`),
    parentSpanId: s.parentSpanId.length === 0 ? null : id(s.parentSpanId, 8, `${where}.parentSpanId`),
    name: s.name,
    kind: kindOf(s.kind),
    startMs: nanosToMs(s.startTimeUnixNano),
    endMs: nanosToMs(s.endTimeUnixNano),
    error: s.status?.code === 2,
    statusMessage: s.status?.message ?? "",
    attributes: attributesAt(s.attributes, `${where}.attributes`),
  };
}

/** The span records of a protobuf export; `MalformedExport` when the body is none or breaks a rule. */
export function protobufSpanRecords(body: Uint8Array): SpanRecord[] {
  let message: ExportMessage;
  try {
    message = request.decode(body) as unknown as ExportMessage;
  } catch {
    throw new MalformedExport("The body is not a valid OTLP protobuf message");
  }
  const records: SpanRecord[] = [];
  message.resourceSpans.forEach((resourceSpans, r) => {
    const source = spanSource(attributesAt(resourceSpans.resource?.attributes ?? [], `resourceSpans[${r}].resource.attributes`));
    resourceSpans.scopeSpans.forEach((scope, c) => {
      scope.spans.forEach((span, i) => {
        records.push(spanRecord(source, decodedSpan(span, `resourceSpans[${r}].scopeSpans[${c}].spans[${i}]`)));
      });
    });
  });
  return records;
}
