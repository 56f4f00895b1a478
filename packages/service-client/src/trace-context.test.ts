/**
 * W3C trace context crosses the hop: a call through the keep-alive transport carries the call's own
 * span as the callee's parent (`traceparent`, written by the client from inside the call's span),
 * and its baggage (a test's id). The HTTP instrumentation, on in every process with the settings
 * `@microshop/tracing/node` gives it, makes no second client span for the request.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { context, propagation, SpanKind, trace } from "@opentelemetry/api";
import { httpInstrumentation } from "@microshop/tracing/node";
import { recordSpans } from "@microshop/tracing/testing";
import { afterAll, expect, it } from "vitest";
import { createServiceClient } from "./index";
import { createServiceResolver } from "./resolver";
import type { EchoRouter } from "./test-fixtures/echo-server";

const exporter = recordSpans();
const instrumentation = httpInstrumentation("order", { incomingRequests: false });
instrumentation.setTracerProvider(trace.getTracerProvider());
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
    const withTestId = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ "microshop.test_id": { value: "t-1" } }),
    );
    await context.with(withTestId, () => client.echo.query({ text: "traced" }));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const traceparent = received[0]?.traceparent;
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const [, traceId, parentId] = (traceparent as string).split("-");
  const spans = exporter.getFinishedSpans();
  const call = spans.find((span) => span.name === "user/echo");
  expect(call?.kind).toBe(SpanKind.CLIENT);
  expect(call?.spanContext().traceId).toBe(traceId);
  // The callee's parent is the call's own span: one client span for the hop, none of the HTTP instrumentation's.
  expect(call?.spanContext().spanId).toBe(parentId);
  expect(spans.filter((span) => span.kind === SpanKind.CLIENT).map((span) => span.name)).toEqual(["user/echo"]);
  expect(received[0]?.baggage).toBe("microshop.test_id=t-1");
});
