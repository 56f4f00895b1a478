/**
 * A service's process runs the SDK without the HTTP instrumentation: its calls to other services
 * make their own client span and send `traceparent` themselves (`@microshop/service-client`), its
 * server spans are the runtime's, and the instrumentation would only cost. A plain `node:http`
 * request from the process shows it: the instrumentation, where it runs, writes `traceparent`
 * into every request it does not leave alone.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { shutdownNodeTracing } from "@microshop/tracing/node";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startServiceTracing } from "./tracing";

const sink = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  // The SDK's exporter reads the standard variables from process.env itself.
  vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", `http://127.0.0.1:${(sink.address() as AddressInfo).port}`);
  vi.stubEnv("OTEL_SDK_DISABLED", "false");
});

afterAll(async () => {
  await shutdownNodeTracing();
  vi.unstubAllEnvs();
  await new Promise((resolve) => sink.close(resolve));
});

/** The headers a plain `node:http` request from this process arrives with. */
async function headersOfPlainRequest(): Promise<IncomingHttpHeaders> {
  let received: IncomingHttpHeaders = {};
  const server = http.createServer((request, response) => {
    received = request.headers;
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      http
        .request({ host: "127.0.0.1", port, path: "/", method: "GET" }, (response) => {
          response.resume();
          response.on("end", resolve);
        })
        .on("error", reject)
        .end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return received;
}

it("starts the SDK with no instrumentation wrapping node:http", async () => {
  expect(startServiceTracing("order")).toBe(true);
  // The SDK is on: a span made here is a recording span.
  const span = trace.getTracer("test").startSpan("work");
  expect(span.isRecording()).toBe(true);
  span.end();
  const headers = await headersOfPlainRequest();
  expect(headers).not.toHaveProperty("traceparent");
});
