import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { transformer } from "@microshop/transformer";
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { pino } from "pino";
import type { TelemetryRouter } from "./router/root";
import { telemetryService } from "./service";
import { createServiceContext } from "@microshop/service-runtime/context";

/** The telemetry service on a free port, with a tRPC client that also subscribes over SSE. */
export async function startTelemetry(
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; client: ReturnType<typeof createTRPCClient<TelemetryRouter>> }> {
  const logger = pino({ level: "silent" });
  const instance = await telemetryService.start(createServiceContext("telemetry", { env, logger }));
  const server = await startServer({
    name: "telemetry",
    host: "127.0.0.1",
    port: 0,
    logger,
    // Long on purpose: open live streams must be ended by the shutdown, not waited out.
    shutdownTimeoutMs: 600_000,
    mounts: [{ path: "/trpc", name: "telemetry", router: telemetryService.router, instance }],
    routes: instance.routes ?? [],
  });
  const url = `${server.url}/trpc`;
  const client = createTRPCClient<TelemetryRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Node 20 has no global EventSource: the `eventsource` package stands in for it.
        true: httpSubscriptionLink({ url, transformer, EventSource }),
        false: httpLink({ url, transformer }),
      }),
    ],
  });
  return { server, client };
}

/**
 * An OTLP/HTTP JSON export of one service's spans, as the official exporters write it; `resource`
 * adds to its resource (a replica's `service.instance.id` and `service.version`).
 */
export function otlpJson(
  service: string,
  spans: Array<{
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    kind: 2 | 3;
    startMs: number;
    durationMs: number;
    attributes?: Record<string, string>;
  }>,
  resource: Record<string, string> = {},
): string {
  const nanos = (ms: number) => (BigInt(Math.round(ms * 1_000)) * 1_000n).toString();
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: Object.entries({ "service.name": service, ...resource }).map(([key, value]) => ({
            key,
            value: { stringValue: value },
          })),
        },
        scopeSpans: [
          {
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? "",
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.startMs + s.durationMs),
              attributes: Object.entries(s.attributes ?? {}).map(([key, value]) => ({ key, value: { stringValue: value } })),
            })),
          },
        ],
      },
    ],
  });
}

export function postOtlp(baseUrl: string, body: string): Promise<Response> {
  return fetch(`${baseUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body });
}
