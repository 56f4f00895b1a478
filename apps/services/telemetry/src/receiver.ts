import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@microshop/service-runtime/logger";
import type { RawRoute } from "@microshop/service-runtime/service";
import { z } from "zod";
import { exportTraceRequest, toSpanRecords } from "./otlp";
import { MalformedExport, protobufSpanRecords } from "./otlp-protobuf";
import type { Forward } from "./forwarder";
import type { SpanRecord } from "./otlp";

/** A refused export: the HTTP status and the reason, for the sender to act on. */
export class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw new BadRequest(413, `Body larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BadRequest(413, `Body larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type OtlpContentType = "application/json" | "application/x-protobuf";

/**
 * An export body, in either encoding, as the span records it holds; a malformed one is a
 * `BadRequest` (400) that says what is wrong, never any other error, whatever the bytes.
 */
export function decodeTraceExport(type: OtlpContentType, body: Uint8Array): SpanRecord[] {
  if (type === "application/x-protobuf") {
    try {
      return protobufSpanRecords(body);
    } catch (error) {
      if (error instanceof MalformedExport) throw new BadRequest(400, error.message);
      throw error;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new BadRequest(400, "The body is not valid JSON");
  }
  const parsed = exportTraceRequest.safeParse(json);
  if (!parsed.success) throw new BadRequest(400, `Not an OTLP trace export: ${z.prettifyError(parsed.error).slice(0, 2_000)}`);
  return toSpanRecords(parsed.data);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export interface OtlpTraceRouteOptions {
  /** Takes the spans of an accepted export (the pipeline's `ingest`). */
  readonly ingest: (spans: readonly SpanRecord[]) => void;
  readonly logger: Logger;
  readonly maxBytes: number;
  /** Sends a copy of every accepted export on, as received (`OTLP_FORWARD_URL`). */
  readonly forward?: Forward | undefined;
}

/**
 * The OTLP/HTTP trace endpoint (`POST /v1/traces`), so any OpenTelemetry SDK or Collector can
 * send here, in either encoding (JSON or protobuf); a malformed payload gets a 400 that says what
 * is wrong.
 */
export function otlpTraceRoute({ ingest, logger, maxBytes, forward }: OtlpTraceRouteOptions): RawRoute {
  return {
    method: "POST",
    path: "/v1/traces",
    async handle(req, res) {
      try {
        const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim();
        if (type !== "application/json" && type !== "application/x-protobuf") {
          throw new BadRequest(415, `Unsupported content type "${type ?? ""}": send application/json or application/x-protobuf`);
        }
        const body = await readBody(req, maxBytes);
        ingest(decodeTraceExport(type, body));
        forward?.(body, req.headers["content-type"] ?? type);
        reply(res, 200, {});
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        logger.info({ status: error.status, reason: error.message }, "OTLP export refused");
        reply(res, error.status, { code: error.status, message: error.message });
      }
    },
  };
}
