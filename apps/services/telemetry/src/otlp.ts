import { z } from "zod";

/**
 * OTLP/HTTP JSON (opentelemetry-proto's ExportTraceServiceRequest in its JSON mapping): ids are
 * hex strings, 64-bit integers may come as strings, enums as numbers. Only what the map needs is
 * read; anything else in the payload is allowed and ignored.
 */
const anyValue: z.ZodType<unknown> = z.lazy(() =>
  z
    .object({
      stringValue: z.string().optional(),
      boolValue: z.boolean().optional(),
      intValue: z.union([z.string(), z.number()]).optional(),
      doubleValue: z.number().optional(),
      arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    })
    .loose(),
);
const keyValue = z.object({ key: z.string(), value: anyValue.optional() });
const nanos = z.union([z.string().regex(/^\d+$/), z.number().nonnegative()]);
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
    status: z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() }).loose().optional(),
  })
  .loose();

export const exportTraceRequest = z.object({
  resourceSpans: z
    .array(
      z
        .object({
          resource: z.object({ attributes: z.array(keyValue).optional() }).loose().optional(),
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
}

const kinds: readonly SpanKind[] = ["internal", "internal", "server", "client", "producer", "consumer"];

function kindOf(kind: number | string | undefined): SpanKind {
  if (typeof kind === "number") return kinds[kind] ?? "internal";
  const name = (kind ?? "").replace(/^SPAN_KIND_/, "").toLowerCase();
  return (kinds as readonly string[]).includes(name) ? (name as SpanKind) : "internal";
}

function valueOf(value: unknown): AttributeValue | undefined {
  const v = value as { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number } | undefined;
  if (v?.stringValue !== undefined) return v.stringValue;
  if (v?.boolValue !== undefined) return v.boolValue;
  if (v?.intValue !== undefined) return Number(v.intValue);
  if (v?.doubleValue !== undefined) return v.doubleValue;
  return undefined;
}

function attributesOf(list: ReadonlyArray<z.infer<typeof keyValue>> | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) {
    const v = valueOf(value);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const nanosToMs = (value: string | number) => Number(BigInt(value) / 1_000n) / 1_000;

/** Flattens a request into span records; status code 2 (or "STATUS_CODE_ERROR") marks an error. */
export function toSpanRecords(request: ExportTraceRequest): SpanRecord[] {
  const records: SpanRecord[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = typeof resource["service.name"] === "string" ? resource["service.name"] : "unknown_service";
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const s of scope.spans ?? []) {
        const startMs = nanosToMs(s.startTimeUnixNano);
        const code = s.status?.code;
        records.push({
          traceId: s.traceId.toLowerCase(),
          spanId: s.spanId.toLowerCase(),
          parentSpanId: s.parentSpanId ? s.parentSpanId.toLowerCase() : null,
          service,
          name: s.name,
          kind: kindOf(s.kind),
          startMs,
          durationMs: Math.max(0, nanosToMs(s.endTimeUnixNano) - startMs),
          error: code === 2 || code === "STATUS_CODE_ERROR",
          statusMessage: s.status?.message ?? "",
          attributes: attributesOf(s.attributes),
        });
      }
    }
  }
  return records;
}
