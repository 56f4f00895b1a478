import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { transformer } from "@microshop/transformer";
import { createTRPCClient, httpLink } from "@trpc/client";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelemetryRouter } from "./router/root";
import { telemetryService } from "./service";
import { createServiceContext } from "@microshop/service-runtime/context";

// Spans made and exported by the official OpenTelemetry JS SDK, as any other program would send.
let server: RunningServer;
let client: ReturnType<typeof createTRPCClient<TelemetryRouter>>;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  const instance = await telemetryService.start(
    createServiceContext("telemetry", { env: { OTLP_MAX_BODY_BYTES: "20000" }, logger }),
  );
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

type Encoding = "json" | "protobuf";

function provider(service: string, encoding: Encoding) {
  const url = `${server.url}/v1/traces`;
  const exporter = encoding === "json" ? new OTLPTraceExporter({ url }) : new OTLPProtoTraceExporter({ url });
  return new TracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
}

describe.each(["json", "protobuf"] as const)("OTLP/HTTP %s from the official exporter", (encoding) => {
  it("turns client/server span pairs and database spans into the service graph", async () => {
    // Each encoding gets services of its own, so the two runs do not count each other's requests.
    const order = provider(`order-${encoding}`, encoding);
    const inventory = provider(`inventory-${encoding}`, encoding);
    for (const fails of [false, true]) {
      const call = order.getTracer("test").startSpan("inventory.reservations.reserve", { kind: SpanKind.CLIENT });
      const handled = inventory
        .getTracer("test")
        .startSpan("reservations.reserve", { kind: SpanKind.SERVER }, trace.setSpan(context.active(), call));
      if (!fails) {
        const query = inventory
          .getTracer("test")
          .startSpan(
            "UPDATE StockItem",
            { kind: SpanKind.CLIENT, attributes: { "db.system.name": "sqlite" } },
            trace.setSpan(context.active(), handled),
          );
        query.end();
      } else {
        handled.setStatus({ code: SpanStatusCode.ERROR, message: "out of stock" });
      }
      handled.end();
      call.end();
    }
    await Promise.all([order.forceFlush(), inventory.forceFlush()]);

    const graph = await client.graph.query({ windowSeconds: 60 });
    const mine = graph.nodes.filter((node) => node.id.endsWith(encoding) || node.id.includes(`-${encoding}/`));
    expect(mine).toMatchObject([
      { id: `inventory-${encoding}`, kind: "service", metrics: { requests: 2, errorRate: 0.5 } },
      { id: `inventory-${encoding}/sqlite`, kind: "database", metrics: { requests: 1, errorRate: 0 } },
      // Only ever a caller here, so a client of the map (as the browser is).
      { id: `order-${encoding}`, kind: "client", metrics: null },
    ]);
    const edge = (source: string, target: string) => graph.edges.find((e) => e.source === source && e.target === target);
    expect(edge(`order-${encoding}`, `inventory-${encoding}`)).toMatchObject({ requests: 2, errorRate: 0.5 });
    expect(edge(`inventory-${encoding}`, `inventory-${encoding}/sqlite`)).toMatchObject({ requests: 1, errorRate: 0 });
    expect(graph.totals.requests).toBeGreaterThanOrEqual(3);

    const callee = await client.node.query({ id: `inventory-${encoding}` });
    expect(callee.operations).toMatchObject([{ name: "reservations.reserve", requests: 2, errorRate: 0.5 }]);
    expect(callee.recentErrors).toMatchObject([{ name: "reservations.reserve", message: "out of stock" }]);
    const calls = await client.edge.query({ source: `order-${encoding}`, target: `inventory-${encoding}` });
    expect(calls.map((call) => call.error)).toEqual([true, false]);

    const [latest] = await client.traces.list.query({ limit: 1 });
    expect(latest).toMatchObject({
      rootName: "inventory.reservations.reserve",
      rootService: `order-${encoding}`,
      services: [`inventory-${encoding}`, `order-${encoding}`],
      error: true,
    });
    const full = await client.traces.get.query({ traceId: latest!.traceId });
    expect(full.spans.map((span) => span.kind)).toEqual(["client", "server"]);
  });

  it("keeps an array attribute (the lab's fault ids) as one string", async () => {
    const cart = provider(`cart-${encoding}`, encoding);
    const span = cart.getTracer("test").startSpan("payment.charge", { kind: SpanKind.CLIENT });
    span.setAttributes({ "microshop.fault.ids": ["fault-1", "fault-2"], "microshop.fault.delay_ms": 300 });
    span.end();
    await cart.forceFlush();
    const [latest] = await client.traces.list.query({ limit: 1 });
    const full = await client.traces.get.query({ traceId: latest!.traceId });
    expect(full.spans[0]?.attributes).toMatchObject({
      "microshop.fault.ids": "fault-1, fault-2",
      "microshop.fault.delay_ms": 300,
    });
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

  it("refuses a broken protobuf with 400, other encodings with 415 and oversized bodies with 413", async () => {
    expect((await post("\u00ff\u00ff\u00ff", "application/x-protobuf")).status).toBe(400);
    expect((await post("x", "text/plain")).status).toBe(415);
    expect((await post(JSON.stringify({ pad: "x".repeat(30_000) }))).status).toBe(413);
  });
});

describe.each(["json", "protobuf"] as const)("replicas and load traffic over OTLP/HTTP %s", (encoding) => {
  /** A replica of `service`, as a process of the lab's stack names itself in its resource. */
  function replica(service: string, instance: string, version: string) {
    const url = `${server.url}/v1/traces`;
    const exporter = encoding === "json" ? new OTLPTraceExporter({ url }) : new OTLPProtoTraceExporter({ url });
    return new TracerProvider({
      resource: resourceFromAttributes({
        "service.name": service,
        "service.instance.id": instance,
        "service.version": version,
      }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
  }

  it("counts each replica's calls by its service.instance.id and version, with or without load traffic", async () => {
    const cart = `cart-${encoding}`;
    const caller = replica(`storefront-${encoding}`, "storefront-1", "1.0.0");
    const replicas = [replica(cart, "cart-1", "1.0.0"), replica(cart, "cart-2", "1.1.0")];
    // cart-1 answers three calls (one from the load generator), cart-2 one.
    for (const [target, synthetic] of [
      [0, false],
      [0, false],
      [0, true],
      [1, false],
    ] as const) {
      const attributes = synthetic ? { "microshop.synthetic": "load" } : {};
      const call = caller.getTracer("test").startSpan("cart.get", { kind: SpanKind.CLIENT, attributes });
      replicas[target]!.getTracer("test")
        .startSpan("cart.get", { kind: SpanKind.SERVER, attributes }, trace.setSpan(context.active(), call))
        .end();
      call.end();
    }
    await Promise.all([caller.forceFlush(), ...replicas.map((r) => r.forceFlush())]);

    const mine = (instances: ReadonlyArray<{ service: string }>) => instances.filter((i) => i.service === cart);
    const all = await client.graph.query({ windowSeconds: 60 });
    expect(mine(all.instances)).toMatchObject([
      { instance: "cart-1", version: "1.0.0", requests: 3 },
      { instance: "cart-2", version: "1.1.0", requests: 1 },
    ]);
    const shoppers = await client.graph.query({ windowSeconds: 60, includeSynthetic: false });
    expect(shoppers.includeSynthetic).toBe(false);
    expect(mine(shoppers.instances)).toMatchObject([
      { instance: "cart-1", requests: 2 },
      { instance: "cart-2", requests: 1 },
    ]);
    expect(shoppers.edges.find((e) => e.target === cart)?.requests).toBe(3);
    const requests = await client.edge.query({ source: `storefront-${encoding}`, target: cart });
    expect(requests.map((r) => [r.targetInstance, r.targetVersion, r.synthetic]).sort()).toEqual([
      ["cart-1", "1.0.0", false],
      ["cart-1", "1.0.0", false],
      ["cart-1", "1.0.0", true],
      ["cart-2", "1.1.0", false],
    ]);
    const full = await client.traces.get.query({ traceId: requests[0]!.traceId });
    expect(full.spans.find((span) => span.kind === "server")).toMatchObject({ instance: requests[0]!.targetInstance });
  });
});
