/**
 * OTLP/HTTP JSON (opentelemetry-proto's ExportTraceServiceRequest in its JSON mapping): ids are
 * hex strings, 64-bit integers may come as strings, enums as numbers. Only what the map needs is
 * read; anything else in the payload is allowed and ignored.
 */
import { LOAD_BAGGAGE_KEY } from "@microshop/lab";
import { redactCredentials } from "@microshop/tracing/redact";
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { z } from "zod";

/**
 * What one span may hold once kept: an exporter may send more (the SDK's own limits are
 * configurable), the store keeps this much and drops or cuts the rest, so one span costs at most
 * about 128 x 4 KiB whatever it claims.
 */
export const spanLimits = {
  attributes: 128,
  keyLength: 256,
  valueLength: 4_096,
  statusMessageLength: 1_024,
  serviceNameLength: 200,
  /** `service.instance.id` and `service.version`: names, not payloads. */
  identityLength: 200,
} as const;

// Arrays and key-value lists are accepted and ignored (the map reads only scalars), so the schema
// does not recurse: a deeply nested value cannot exhaust the stack.
const scalarValue = z
  .object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.string().regex(/^-?\d{1,20}$/, "must be a 64-bit integer"), z.number()]).optional(),
    doubleValue: z.number().optional(),
  })
  .loose();
// An array of scalars (the lab's fault ids, a header's several values) is kept as one string.
const anyValue = scalarValue.extend({
  arrayValue: z
    .object({ values: z.array(scalarValue).max(128).optional() })
    .loose()
    .optional(),
});
const keyValue = z.object({ key: z.string(), value: anyValue.optional() });
// A fixed64 count of nanoseconds: at most 20 digits (a longer string would make BigInt spin), whole.
const maxNanos = 2n ** 64n - 1n;
const nanos = z.union([
  z
    .string()
    .regex(/^\d{1,20}$/, "must be a whole number of nanoseconds")
    // zod runs a refinement even when the regex failed: BigInt only ever sees the digits it allows.
    .refine((value) => !/^\d{1,20}$/.test(value) || BigInt(value) <= maxNanos, "must fit in 64 bits"),
  z
    .number()
    .nonnegative()
    .refine(
      (value) => Number.isInteger(value) && value <= Number(maxNanos),
      "must be a whole number of nanoseconds that fits in 64 bits",
    ),
]);
const hexId = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `must be ${bytes * 2} hex digits`);

const span = z
  .object({
    traceId: hexId(16),
    spanId: hexId(8),
    parentSpanId: z.union([hexId(8), z.literal("")]).optional(),
    name: z.string().max(1_000),
    kind: z.union([z.number().int().min(0).max(5), z.string()]).optional(),
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    attributes: z.array(keyValue).optional(),
    status: z
      .object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() })
      .loose()
      .optional(),
  })
  .loose();

export const exportTraceRequest = z.object({
  resourceSpans: z
    .array(
      z
        .object({
          resource: z
            .object({ attributes: z.array(keyValue).optional() })
            .loose()
            .optional(),
          scopeSpans: z.array(z.object({ spans: z.array(span).optional() }).loose()).optional(),
        })
        .loose(),
    )
    .optional(),
});
export type ExportTraceRequest = z.infer<typeof exportTraceRequest>;

export type SpanKind = "internal" | "server" | "client" | "producer" | "consumer";
export type AttributeValue = string | number | boolean;

/** One span as the telemetry service keeps it. */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly service: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  /** The status message ("" when none): what went wrong, in the callee's words. */
  readonly statusMessage: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** The process that sent it (its resource's `service.instance.id`, e.g. `product-2`); null when not said. */
  readonly instance: string | null;
  /** That process's `service.version` (e.g. `1.1.0`); null when not said. */
  readonly version: string | null;
  /** Made by the load generator (`microshop.synthetic` = "load" on the span or its resource), not by a shopper. */
  readonly synthetic: boolean;
}

const kinds: readonly SpanKind[] = ["internal", "internal", "server", "client", "producer", "consumer"];

export function kindOf(kind: number | string | undefined): SpanKind {
  if (typeof kind === "number") return kinds[kind] ?? "internal";
  const name = (kind ?? "").replace(/^SPAN_KIND_/, "").toLowerCase();
  return (kinds as readonly string[]).includes(name) ? (name as SpanKind) : "internal";
}

function scalarOf(value: z.infer<typeof scalarValue> | undefined): AttributeValue | undefined {
  if (value?.stringValue !== undefined) return keptString(value.stringValue, spanLimits.valueLength);
  if (value?.boolValue !== undefined) return value.boolValue;
  if (value?.intValue !== undefined) return Number(value.intValue);
  if (value?.doubleValue !== undefined) return value.doubleValue;
  return undefined;
}

function valueOf(value: z.infer<typeof anyValue> | undefined): AttributeValue | undefined {
  if (value?.arrayValue) {
    const items = (value.arrayValue.values ?? []).map(scalarOf).filter((item) => item !== undefined);
    return keptString(items.join(", "), spanLimits.valueLength);
  }
  return scalarOf(value);
}

/**
 * A string as it may be kept: cut to `max`, and never with anything shaped like one of our
 * credentials in it, whatever the sender forgot to redact (the trace view is open to whoever can
 * load the dashboard).
 */
export function keptString(text: string, max: number): string {
  return redactCredentials(text.length > max ? text.slice(0, max) : text);
}

/**
 * The attributes as kept, whichever encoding they came in: `valueOf` reads one entry's value
 * (undefined for a kind the map does not keep), the limits apply the same.
 */
export function attributesOf<T extends { readonly key: string }>(
  list: readonly T[] | null | undefined,
  valueOf: (entry: T) => AttributeValue | undefined,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  let kept = 0;
  for (const entry of list ?? []) {
    if (kept >= spanLimits.attributes) break;
    if (entry.key.length > spanLimits.keyLength) continue;
    const v = valueOf(entry);
    if (v === undefined) continue;
    if (!Object.hasOwn(out, entry.key)) kept += 1;
    out[entry.key] = v;
  }
  return out;
}

/** A resource's name-like attribute, cut to a sane length; null when absent or empty. */
function identity(resource: Record<string, AttributeValue>, key: string): string | null {
  const value = resource[key];
  return typeof value === "string" && value !== "" ? value.slice(0, spanLimits.identityLength) : null;
}

/** What every span of one resource (one process) shares. */
export interface SpanSource {
  readonly service: string;
  readonly instance: string | null;
  readonly version: string | null;
  readonly synthetic: boolean;
}

export function spanSource(resource: Record<string, AttributeValue>): SpanSource {
  const named = resource[ATTR_SERVICE_NAME];
  return {
    service: typeof named === "string" && named !== "" ? named.slice(0, spanLimits.serviceNameLength) : "unknown_service",
    instance: identity(resource, ATTR_SERVICE_INSTANCE_ID),
    version: identity(resource, ATTR_SERVICE_VERSION),
    synthetic: resource[LOAD_BAGGAGE_KEY] === "load",
  };
}

/** One span's fields once decoded and checked, whichever encoding it came in. */
export interface DecodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startMs: number;
  readonly endMs: number;
  readonly error: boolean;
  readonly statusMessage: string;
  readonly attributes: Record<string, AttributeValue>;
}

/** The record kept of a decoded span: names and messages cut and redacted, its source's identity. */
export function spanRecord(source: SpanSource, span: DecodedSpan): SpanRecord {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: source.service,
    name: keptString(span.name, 1_000),
    kind: span.kind,
    startMs: span.startMs,
    durationMs: Math.max(0, span.endMs - span.startMs),
    error: span.error,
    statusMessage: keptString(span.statusMessage, spanLimits.statusMessageLength),
    attributes: span.attributes,
    instance: source.instance,
    version: source.version,
    synthetic: source.synthetic || span.attributes[LOAD_BAGGAGE_KEY] === "load",
  };
}

const nanosToMs = (value: string | number) => Number(BigInt(value) / 1_000n) / 1_000;
const jsonAttributes = (list: ReadonlyArray<z.infer<typeof keyValue>> | undefined) =>
  attributesOf(list, (entry) => valueOf(entry.value));

/** Flattens a JSON export, once validated; status code 2 (or "STATUS_CODE_ERROR") marks an error. */
export function toSpanRecords(request: ExportTraceRequest): SpanRecord[] {
  const records: SpanRecord[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const source = spanSource(jsonAttributes(resourceSpans.resource?.attributes));
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const s of scope.spans ?? []) {
        const code = s.status?.code;
        records.push(
          spanRecord(source, {
            traceId: s.traceId.toLowerCase(),
            spanId: s.spanId.toLowerCase(),
            parentSpanId: s.parentSpanId ? s.parentSpanId.toLowerCase() : null,
            name: s.name,
            kind: kindOf(s.kind),
            startMs: nanosToMs(s.startTimeUnixNano),
            endMs: nanosToMs(s.endTimeUnixNano),
            error: code === 2 || code === "STATUS_CODE_ERROR",
            statusMessage: s.status?.message ?? "",
            attributes: jsonAttributes(s.attributes),
          }),
        );
      }
    }
  }
  return records;
}
