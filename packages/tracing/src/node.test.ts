import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { shutdownNodeTracing, startNodeTracing } from "./node";

/** An OTLP/HTTP endpoint that only remembers which signal each export was for. */
function otlpSink(): { readonly paths: string[]; readonly server: http.Server } {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      paths.push(request.url ?? "/");
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return { paths, server };
}

/** One request through the instrumented `node:http`, to a server of its own. */
async function tracedRoundTrip(): Promise<void> {
  const server = http.createServer((_request, response) => response.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    http
      .request({ host: "127.0.0.1", port, path: "/shop", method: "GET" }, (response) => {
        response.resume();
        response.on("end", resolve);
      })
      .on("error", reject)
      .end();
  });
  await new Promise((resolve) => server.close(resolve));
}

describe("the Node SDK as every process runs it", () => {
  const sink = otlpSink();

  beforeAll(async () => {
    await new Promise<void>((resolve) => sink.server.listen(0, "127.0.0.1", resolve));
    const { port } = sink.server.address() as AddressInfo;
    // The SDK's exporters read the standard variables from process.env themselves.
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", `http://127.0.0.1:${port}`);
    vi.stubEnv("OTEL_METRICS_EXPORTER", "");
    vi.stubEnv("OTEL_LOGS_EXPORTER", "");
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise((resolve) => sink.server.close(resolve));
  });

  it("exports spans, and neither metrics nor logs, which nothing of ours reads", async () => {
    expect(startNodeTracing({ serviceName: "test", env: { OTEL_EXPORTER_OTLP_ENDPOINT: "set above" } })).toBe(true);
    await tracedRoundTrip();
    // Shutting down flushes every provider the SDK started: a metric reader would export here.
    await shutdownNodeTracing();
    expect(sink.paths).toContain("/v1/traces");
    expect(sink.paths.filter((path) => path !== "/v1/traces")).toEqual([]);
  });
});
