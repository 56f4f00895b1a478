import { env } from "~/env";

/**
 * Relays the browser's spans (OTLP/HTTP) to the telemetry service, so pages send them to their own
 * origin: no CORS, and the telemetry service need not be reachable from the browser. The body is
 * passed on as it came; the telemetry service validates it and answers 400 for a bad one.
 */
export const dynamic = "force-dynamic";

const maxBytes = 1_000_000;

export async function POST(request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return Response.json({ message: `Body larger than ${maxBytes} bytes` }, { status: 413 });
  const body = await request.arrayBuffer();
  if (body.byteLength > maxBytes) return Response.json({ message: `Body larger than ${maxBytes} bytes` }, { status: 413 });
  try {
    const upstream = await fetch(`${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces`, {
      method: "POST",
      headers: { "content-type": request.headers.get("content-type") ?? "application/json" },
      body,
      signal: AbortSignal.timeout(2_000),
    });
    return new Response(upstream.body, { status: upstream.status, headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" } });
  } catch {
    // Telemetry is an observer: when it is down the shop goes on, and the page's spans are dropped.
    return Response.json({ message: "The telemetry service is not reachable" }, { status: 503 });
  }
}
