import { startServer } from "@microshop/service-runtime/server";
import { pino } from "pino";
import { telemetryService } from "../service";
import { otlpJsonBatch } from "@microshop/otlp-fixtures";
import { createServiceContext } from "@microshop/service-runtime/context";
import { exportTraceServiceRequest } from "../otlp-protobuf";

/** How the exports are sent: OTLP's JSON mapping, or protobuf, as the OpenTelemetry SDKs send them by default. */
export type IngestEncoding = "json" | "protobuf";

export interface MeasureIngestOptions {
  /** How long to send for. Default 10 s. */
  readonly seconds?: number;
  /** Spans per export request (whole 12-span traces). Default 300. */
  readonly spansPerRequest?: number;
  /** Requests in flight at once, as several exporting processes would. Default 4. */
  readonly concurrency?: number;
  /** A telemetry server already running (its base URL); by default one is started in this process. */
  readonly url?: string;
  /** `TELEMETRY_MAX_SPANS` of the started server. Default 50,000. */
  readonly maxSpans?: number;
  /** Default JSON. */
  readonly encoding?: IngestEncoding;
}

export interface IngestResult {
  readonly spansPerSecond: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly heapEndMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

// The JSON mapping writes ids as hex; protobufjs takes them as bytes.
const withIdBytes = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withIdBytes)
    : typeof value === "object" && value !== null
      ? Object.fromEntries(
          Object.entries(value).map(([key, item]) => [
            key,
            key.endsWith("Id") && typeof item === "string" ? Buffer.from(item, "hex") : withIdBytes(item),
          ]),
        )
      : value;

/** One export of about `spans` spans in whole checkout traces, in the given encoding, and its span count. */
export function exportBatch(encoding: IngestEncoding, spans: number): { body: string | Uint8Array; spans: number } {
  const batch = otlpJsonBatch(spans);
  if (encoding === "json") return batch;
  const message = exportTraceServiceRequest.fromObject(withIdBytes(JSON.parse(batch.body)) as Record<string, unknown>);
  return { body: exportTraceServiceRequest.encode(message).finish(), spans: batch.spans };
}

const contentTypes: Record<IngestEncoding, string> = { json: "application/json", protobuf: "application/x-protobuf" };

/**
 * Posts realistic OTLP/HTTP exports (JSON or protobuf) over loopback as fast as the receiver takes them, for
 * `seconds`, and reports the spans accepted per second and this process's memory before and after
 * (with the server in-process, flat memory means the store, joiner and map stay bounded).
 */
export async function measureIngest(opts: MeasureIngestOptions = {}): Promise<IngestResult> {
  const seconds = opts.seconds ?? 10;
  const spansPerRequest = opts.spansPerRequest ?? 300;
  const encoding = opts.encoding ?? "json";
  const concurrency = opts.concurrency ?? 4;
  const logger = pino({ level: "silent" });
  const instance = opts.url
    ? undefined
    : await telemetryService.start(
        createServiceContext("telemetry", { env: { TELEMETRY_MAX_SPANS: String(opts.maxSpans ?? 50_000) }, logger }),
      );
  const server = instance
    ? await startServer({
        name: "telemetry",
        host: "127.0.0.1",
        port: 0,
        logger,
        mounts: [{ path: "/trpc", name: "telemetry", router: telemetryService.router, instance }],
        routes: instance.routes ?? [],
      })
    : undefined;
  const endpoint = `${opts.url ?? server!.url}/v1/traces`;

  try {
    // Warm up (JIT, connection pool) before the clock and the memory baseline start.
    await post(endpoint, encoding, exportBatch(encoding, spansPerRequest).body);
    const rssStart = process.memoryUsage().rss;
    const started = performance.now();
    const deadline = started + seconds * 1_000;
    let spans = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const batch = exportBatch(encoding, spansPerRequest);
          await post(endpoint, encoding, batch.body);
          spans += batch.spans;
        }
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1_000;
    const memory = process.memoryUsage();
    return {
      spansPerSecond: Math.round(spans / elapsedSeconds),
      rssStartMb: mb(rssStart),
      rssEndMb: mb(memory.rss),
      heapEndMb: mb(memory.heapUsed),
    };
  } finally {
    await server?.close();
  }
}

async function post(url: string, encoding: IngestEncoding, body: string | Uint8Array): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": contentTypes[encoding] },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`The receiver refused an export: HTTP ${response.status} ${text}`);
}
