import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError } from "@microshop/service-runtime/config";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createForwarder } from "./forwarder";
import { telemetryService } from "./service";
import { otlpJson, startTelemetry } from "./test-server";
import { createServiceContext } from "@microshop/service-runtime/context";

/** A second OTLP receiver, standing in for Jaeger or a Collector: it records what it is sent. */
let upstream: Server;
let upstreamUrl: string;
const received: Array<{ body: Buffer; type: string | undefined }> = [];
let onReceived: (() => void) | undefined;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ body: Buffer.concat(chunks), type: req.headers["content-type"] });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      onReceived?.();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1/traces`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const body = otlpJson("order", [
  {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    name: "orders.place",
    kind: 2,
    startMs: Date.now(),
    durationMs: 3,
  },
]);

describe("OTLP_FORWARD_URL", () => {
  it("forwards every accepted export as received, with its content type, and nothing refused", async () => {
    const { server } = await startTelemetry({ OTLP_FORWARD_URL: upstreamUrl });
    try {
      const arrived = new Promise<void>((resolve) => (onReceived = resolve));
      const post = (payload: string) =>
        fetch(`${server.url}/v1/traces`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: payload,
        });
      expect((await post("{ not json")).status).toBe(400);
      expect((await post(body)).status).toBe(200);
      await arrived;
      expect(received).toHaveLength(1);
      expect(received[0]?.body.toString("utf8")).toBe(body);
      expect(received[0]?.type).toBe("application/json; charset=utf-8");
    } finally {
      await server.close();
    }
  });

  it("still accepts exports when the target is down", async () => {
    // A port that was just free: nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/v1/traces`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const { server, client } = await startTelemetry({ OTLP_FORWARD_URL: deadUrl, OTLP_FORWARD_TIMEOUT_MS: "500" });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${server.url}/v1/traces`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        expect(response.status).toBe(200);
      }
      expect((await client.traces.list.query()).length).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("refuses a URL that is not http(s) at start-up, naming the variable", async () => {
    const start = () =>
      telemetryService.start(
        createServiceContext("telemetry", {
          env: { OTLP_FORWARD_URL: "ftp://example.com/v1/traces" },
          logger: pino({ level: "silent" }),
        }),
      );
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/OTLP_FORWARD_URL/);
    await expect(
      telemetryService.start(
        createServiceContext("telemetry", { env: { OTLP_FORWARD_URL: "" }, logger: pino({ level: "silent" }) }),
      ),
    ).resolves.toBeDefined();
  });
});

it("logs failures at most once per interval, however many there are", () => {
  const logger = pino({ level: "silent" });
  const warn = vi.spyOn(logger, "warn");
  // One forward in flight at a time: the next ones are dropped (and counted) at once, never queued.
  const forward = createForwarder({ url: "http://127.0.0.1:9/v1/traces", timeoutMs: 100, logger, maxInFlight: 1 });
  for (let i = 0; i < 5; i++) forward(Buffer.from(body), "application/json");
  expect(warn).toHaveBeenCalledTimes(1);
  expect(JSON.stringify(warn.mock.calls[0]?.[0])).toMatch(/dropped/);
});
