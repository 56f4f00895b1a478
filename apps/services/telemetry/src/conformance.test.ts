import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { transformer } from "@microshop/service-runtime/trpc";
import { createTRPCClient, httpLink } from "@trpc/client";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelemetryRouter } from "./router/root";
import { telemetryService } from "./service";

// Spans made and exported by the official OpenTelemetry JS SDK, as any other program would send.
let server: RunningServer;
let client: ReturnType<typeof createTRPCClient<TelemetryRouter>>;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  const instance = await telemetryService.start({ OTLP_MAX_BODY_BYTES: "20000" }, logger);
  server = await startServer({
    name: "telemetry",
    host: "127.0.0.1",
    port: 0,
    logger,
    mounts: [{ path: "/trpc", name: "telemetry", router: telemetryService.router, instance }],
    routes: instance.routes ?? [],
  });
  client = createTRPCClient<TelemetryRouter>({ links: [httpLink({ url: `${server.url}/trpc`, transformer })] });
});

afterAll(() => server.close());

function provider(service: string) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces` }))],
  });
}

describe("OTLP/HTTP JSON from the official exporter", () => {
  it("turns client/server span pairs and database spans into the service graph", async () => {
    const order = provider("order");
    const inventory = provider("inventory");
    for (const fails of [false, true]) {
      const call = order.getTracer("test").startSpan("inventory.reservations.reserve", { kind: SpanKind.CLIENT });
      const handled = inventory.getTracer("test").startSpan("reservations.reserve", { kind: SpanKind.SERVER }, trace.setSpan(context.active(), call));
      if (!fails) {
        const query = inventory
          .getTracer("test")
          .startSpan("UPDATE StockItem", { kind: SpanKind.CLIENT, attributes: { "db.system.name": "sqlite" } }, trace.setSpan(context.active(), handled));
        query.end();
      } else {
        handled.setStatus({ code: SpanStatusCode.ERROR, message: "out of stock" });
      }
      handled.end();
      call.end();
    }
    await Promise.all([order.forceFlush(), inventory.forceFlush()]);

    const graph = await client.graph.query({ windowSeconds: 60 });
    expect(graph.nodes).toEqual([
      { id: "inventory", kind: "service" },
      { id: "inventory/sqlite", kind: "database" },
      { id: "order", kind: "service" },
    ]);
    const edge = (source: string, target: string) => graph.edges.find((e) => e.source === source && e.target === target);
    expect(edge("order", "inventory")).toMatchObject({ requests: 2, errorRate: 0.5 });
    expect(edge("inventory", "inventory/sqlite")).toMatchObject({ requests: 1, errorRate: 0 });

    const [latest] = await client.traces.list.query({ limit: 1 });
    expect(latest).toMatchObject({ rootName: "inventory.reservations.reserve", rootService: "order", services: ["inventory", "order"], error: true });
    const full = await client.traces.get.query({ traceId: latest!.traceId });
    expect(full.spans.map((span) => span.kind)).toEqual(["client", "server"]);
  });
});

describe("bad payloads", () => {
  const post = (body: string, type = "application/json") =>
    fetch(`${server.url}/v1/traces`, { method: "POST", headers: { "content-type": type }, body });

  it("answers 400 with the reason, and keeps serving", async () => {
    const notJson = await post("{");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ message: "The body is not valid JSON" });
    const wrong = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "xyz" }] }] }] }));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/traceId/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("refuses other encodings with 415 and oversized bodies with 413", async () => {
    expect((await post("x", "application/x-protobuf")).status).toBe(415);
    expect((await post(JSON.stringify({ pad: "x".repeat(30_000) }))).status).toBe(413);
  });
});
