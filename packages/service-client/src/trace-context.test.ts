/**
 * W3C trace context crosses the hop: a call through the keep-alive transport carries the
 * `traceparent` of the HTTP span under the call's client span, as OpenTelemetry's HTTP
 * instrumentation (on in every process, `@microshop/tracing/node`) writes it. A transport that
 * went around `node:http`'s instrumented `request` would lose every trace at the first hop.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, expect, it } from "vitest";
import { createServiceClient } from "./index";
import { createServiceResolver } from "./resolver";
import type { EchoRouter } from "./test-fixtures/echo-server";

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
const instrumentation = new HttpInstrumentation();
instrumentation.setTracerProvider(provider);
// As `startNodeTracing` does: the instrumentation patches `node:http` when it is required.
createRequire(import.meta.url)("node:http");

afterAll(() => instrumentation.disable());

it("sends the traceparent of the call's span to the callee", async () => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on("end", () =>
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          result: {
            data: { json: { text: "ok", replica: "r", at: "1970-01-01T00:00:00.000Z" }, meta: { values: { at: ["Date"] } } },
          },
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const client = createServiceClient<EchoRouter>("user", {
      resolver: createServiceResolver({ USER_SERVICE_URLS: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc` }),
    });
    await client.echo.query({ text: "traced" });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const traceparent = received[0]?.traceparent;
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const [, traceId, parentId] = (traceparent as string).split("-");
  const spans = exporter.getFinishedSpans();
  const call = spans.find((span) => span.name === "user/echo");
  const request = spans.find((span) => span.spanContext().spanId === parentId);
  expect(call?.kind).toBe(SpanKind.CLIENT);
  expect(call?.spanContext().traceId).toBe(traceId);
  // The callee's parent is the HTTP span, itself inside the call's span.
  expect(request?.kind).toBe(SpanKind.CLIENT);
  expect(request?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
});
