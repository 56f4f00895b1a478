import { context, propagation, SpanKind, trace, TraceFlags } from "@opentelemetry/api";
import { beforeEach, expect, it } from "vitest";
import { quietTracers } from "./quiet-tracers";
import { recordSpans } from "./testing";

const exporter = recordSpans();
quietTracers(["next.js"]);
beforeEach(() => exporter.reset());

const app = trace.getTracer("app");
// As Next.js gets its tracer: by name, from the global provider, whenever it makes a span.
const next = () => trace.getTracer("next.js", "16.4.6");

it("records no span of a quiet tracer, and what runs under one hangs off the span above it", async () => {
  await app.startActiveSpan("GET /p/kettle", { kind: SpanKind.SERVER }, async (server) => {
    // Next.js's way: startActiveSpan with options and a callback, nested, async.
    await next().startActiveSpan("render route (app) /p/[slug]", {}, async () => {
      await next().startActiveSpan("build component tree", {}, async (inner) => {
        await Promise.resolve();
        app.startSpan("inventory/stock.levels", { kind: SpanKind.CLIENT }).end();
        inner.end();
      });
    });
    // And startSpan with an explicit parent context.
    const quiet = next().startSpan("start response", {}, context.active());
    app.startSpan("after", {}, trace.setSpan(context.active(), quiet)).end();
    quiet.end();
    server.end();
  });

  const spans = exporter.getFinishedSpans();
  expect(spans.map((span) => span.name).sort()).toEqual(["GET /p/kettle", "after", "inventory/stock.levels"]);
  const server = spans.find((span) => span.name === "GET /p/kettle")!;
  for (const child of spans.filter((span) => span !== server)) {
    expect(child.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(child.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  }
});

it("passes the sampling decision through: a call under a quiet span still sends a sampled traceparent", () => {
  const carrier: Record<string, string> = {};
  app.startActiveSpan("GET /", (server) => {
    next().startActiveSpan("render route (app) /", (quiet) => {
      expect(quiet.isRecording()).toBe(false);
      expect(quiet.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
      propagation.inject(context.active(), carrier);
      quiet.end();
    });
    expect(carrier.traceparent).toBe(`00-${server.spanContext().traceId}-${server.spanContext().spanId}-01`);
    server.end();
  });
});

it("leaves every other tracer recording", () => {
  trace.getTracer("@microshop/service-runtime/database").startSpan("SELECT Product").end();
  expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(["SELECT Product"]);
});
