import { env } from "~/env";
import { createOtelRelay } from "~/server/otel-relay";

/**
 * Relays the browser's spans (OTLP/HTTP JSON) to the telemetry service, so pages send them to their
 * own origin: no CORS, and the telemetry service need not be reachable from the browser. What the
 * relay refuses and rewrites is in `server/otel-relay.ts`.
 */
export const dynamic = "force-dynamic";

// A page exports at most every 100 ms while busy: 10 exports a second is what one tab can need.
export const POST = createOtelRelay({
  upstreamUrl: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces`,
  maxBytes: 1_000_000,
  exportsPerWindow: 100,
  windowSeconds: 10,
  trustedProxyHops: env.TRUSTED_PROXY_HOPS,
});
