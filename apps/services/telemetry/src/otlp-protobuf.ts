/**
 * OTLP/HTTP protobuf encoding. The message definitions are the part of opentelemetry-proto
 * (Apache-2.0) that a trace export uses, field numbers unchanged; protobufjs decodes with them.
 * The decoded message is mapped onto the JSON shape, so one validator and one converter serve both.
 */
import protobuf from "protobufjs";

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

interface DecodedSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
}
interface Decoded {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: DecodedSpan[] }> }>;
}

// toObject renders bytes as base64; OTLP's JSON mapping writes ids as hex.
const hex = (base64: string | undefined) => (base64 ? Buffer.from(base64, "base64").toString("hex") : undefined);

/** Decodes a protobuf export into the OTLP JSON shape (hex ids, 64-bit numbers as strings). */
export function decodeProtobufTraces(body: Uint8Array): unknown {
  const decoded = request.toObject(request.decode(body), { longs: String, bytes: String, arrays: true }) as Decoded;
  for (const resourceSpans of decoded.resourceSpans ?? []) {
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        span.traceId = hex(span.traceId);
        span.spanId = hex(span.spanId);
        span.parentSpanId = hex(span.parentSpanId) ?? "";
      }
    }
  }
  return decoded;
}
