/**
 * The storefront's public OTLP relay: pages post their spans to their own origin and this passes
 * them on to the telemetry service. Anyone on the internet can reach it, so it trusts nothing it
 * is sent: the body is counted while it streams in (a chunked body has no Content-Length to
 * believe), each client gets a budget of exports (rate-limiter-flexible, in memory: one storefront
 * process, and spans are not worth a database round trip), and every span is restamped as the
 * browser's, so nobody can make the map draw a service that is not there.
 */
import { readBodyWithin } from "@microshop/web-security/body-limit";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { clientAddress } from "./client-address";

/** The only `service.name` a relayed span may have: the map's node for shoppers' browsers. */
export const BROWSER_SERVICE_NAME = "browser";

export interface OtelRelayOptions {
  /** Where accepted exports go: the telemetry service's OTLP/HTTP traces URL. */
  readonly upstreamUrl: string;
  /** Largest body read; past it the request is cut off and answered 413. */
  readonly maxBytes: number;
  /** Exports each client may send per `windowSeconds`. */
  readonly exportsPerWindow: number;
  readonly windowSeconds: number;
  /** Proxies in front of the storefront whose X-Forwarded-For is believed (see client-address.ts); default none. */
  readonly trustedProxyHops?: number;
  /** The transport to the telemetry service (tests pass their own). */
  readonly fetch?: typeof fetch;
}

type ResourceSpans = { resource?: { attributes?: unknown[] } & Record<string, unknown> } & Record<string, unknown>;

const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ code: status, message }, { status, headers });

/** Every resource of the export renamed to the browser, or undefined when the body is no OTLP JSON export. */
function asBrowserExport(body: Uint8Array): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const resourceSpans = (parsed as { resourceSpans?: unknown }).resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) return undefined;
  const renamed = resourceSpans.map((entry: unknown) => {
    const resource = typeof entry === "object" && entry !== null ? (entry as ResourceSpans) : {};
    const attributes = Array.isArray(resource.resource?.attributes) ? resource.resource.attributes : [];
    const others = attributes.filter((attribute) => (attribute as { key?: unknown } | null)?.key !== ATTR_SERVICE_NAME);
    return {
      ...resource,
      resource: {
        ...resource.resource,
        attributes: [...others, { key: ATTR_SERVICE_NAME, value: { stringValue: BROWSER_SERVICE_NAME } }],
      },
    };
  });
  return JSON.stringify({ ...parsed, resourceSpans: renamed });
}

/** The relay's request handler. */
export function createOtelRelay(options: OtelRelayOptions): (request: Request) => Promise<Response> {
  const limiter = new RateLimiterMemory({ points: options.exportsPerWindow, duration: options.windowSeconds });
  const send = options.fetch ?? fetch;
  return async (request) => {
    try {
      await limiter.consume(clientAddress(request.headers, options.trustedProxyHops ?? 0));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      await request.body?.cancel().catch(() => undefined);
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      return refuse(429, `Too many span exports; try again in ${seconds} seconds`, { "retry-after": String(seconds) });
    }
    const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim();
    if (type !== "application/json") {
      await request.body?.cancel().catch(() => undefined);
      return refuse(415, `Unsupported content type "${type ?? ""}": browsers send application/json`);
    }
    const read = await readBodyWithin(request, options.maxBytes);
    if (!read.ok) return refuse(413, `Body larger than ${options.maxBytes} bytes`);
    const body = asBrowserExport(read.body);
    if (body === undefined) return refuse(400, "Not an OTLP/HTTP JSON trace export");
    try {
      const upstream = await send(options.upstreamUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(2_000),
      });
      return new Response(upstream.body, {
        status: upstream.status,
        headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
      });
    } catch {
      // Telemetry is an observer: when it is down the shop goes on, and the page's spans are dropped.
      return refuse(503, "The telemetry service is not reachable");
    }
  };
}
