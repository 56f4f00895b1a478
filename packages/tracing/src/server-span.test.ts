/**
 * The runtime's own server span (`serveTraced`): it continues the caller's trace, carries the
 * caller's baggage, holds the handler's work, and ends with what the response said.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { recordProcedureError } from "./rpc";
import { serveTraced } from "./server-span";
import { TEST_ID_KEY } from "./test-id";
import { recordSpans } from "./testing";

const exporter = recordSpans();
const tracer = trace.getTracer("server-span-test");
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  exporter.reset();
  await Promise.all(closers.splice(0).map((close) => close()));
});

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const callerSpanId = "00f067aa0ba902b7";

/** A server whose listener serves every request traced, as the runtime's dispatch does. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer((req, res) => serveTraced(req, res, "order", () => handle(req, res)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** Sends one request; resolves with the status, or with "gone" when it is cut once `abortWhen` settles. */
function send(port: number, path: string, headers: Record<string, string>, abortWhen?: Promise<void>): Promise<number | "gone"> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (error) => (abortWhen === undefined ? reject(error) : resolve("gone")));
    req.end("{}");
    void abortWhen?.then(() => req.destroy());
  });
}

const serverSpans = () => exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);

describe("a request the runtime serves", () => {
  it("is a server span in the caller's trace, named by the RPC conventions, with the caller's baggage and the handler's work inside", async () => {
    const port = await serve((_req, res) => {
      void new Promise((resolve) => setTimeout(resolve, 5)).then(() => {
        tracer.startSpan("inside the handler").end();
        res.writeHead(200).end("{}");
      });
    });
    const status = await send(port, "/trpc/orders.place?input=%7B%22card%22%3A%224242%22%7D", {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
      baggage: `${TEST_ID_KEY}=checkout-7`,
    });
    expect(status).toBe(200);
    await expect.poll(() => serverSpans().length).toBe(1);
    const [server] = serverSpans();
    expect(server).toMatchObject({
      name: "order/orders.place",
      attributes: {
        "rpc.system": "trpc",
        "rpc.service": "order",
        "rpc.method": "orders.place",
        "http.request.method": "POST",
        // The path only: the query string (here a card number) is never recorded.
        "url.path": "/trpc/orders.place",
        "http.response.status_code": 200,
        [TEST_ID_KEY]: "checkout-7",
      },
      status: { code: SpanStatusCode.UNSET },
    });
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext?.spanId).toBe(callerSpanId);
    const inside = exporter.getFinishedSpans().find((span) => span.name === "inside the handler");
    expect(inside?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
  });

  it("starts a trace of its own when the caller sent none", async () => {
    const port = await serve((_req, res) => res.writeHead(204).end());
    await send(port, "/inbox", {});
    await expect.poll(() => serverSpans().length).toBe(1);
    expect(serverSpans()[0]).toMatchObject({ name: "POST /inbox", parentSpanContext: undefined });
  });

  it("is named even for a path whose percent-encoding is malformed, and the request is still served", async () => {
    const port = await serve((_req, res) => res.writeHead(404).end());
    expect(await send(port, "/trpc/orders.%E0%A4%A", {})).toBe(404);
    await expect.poll(() => serverSpans().length).toBe(1);
    expect(serverSpans()[0]?.name).toBe("order/orders.%E0%A4%A");
  });

  it("is an error on a 5xx answer, keeping the code and message a procedure recorded", async () => {
    const port = await serve((req, res) => {
      if (req.url?.includes("recorded")) recordProcedureError("INTERNAL_SERVER_ERROR", 500, "The ledger is unreachable");
      res.writeHead(req.url?.includes("refused") ? 400 : 500).end();
    });
    await send(port, "/trpc/payments.charge", {});
    await send(port, "/trpc/payments.recorded", {});
    await send(port, "/trpc/payments.refused", {});
    await expect.poll(() => serverSpans().length).toBe(3);
    const byName = (name: string) => serverSpans().find((span) => span.name === name);
    expect(byName("order/payments.charge")).toMatchObject({
      attributes: { "error.type": "500", "http.response.status_code": 500 },
      status: { code: SpanStatusCode.ERROR },
    });
    expect(byName("order/payments.recorded")).toMatchObject({
      attributes: { "error.type": "INTERNAL_SERVER_ERROR" },
      status: { code: SpanStatusCode.ERROR, message: "The ledger is unreachable" },
    });
    // A refusal of the caller's input is the caller's failure, not the server's.
    expect(byName("order/payments.refused")).toMatchObject({ status: { code: SpanStatusCode.UNSET } });
    expect(byName("order/payments.refused")?.attributes["error.type"]).toBeUndefined();
  });

  it("ends when the caller goes away before any answer, without blaming the server", async () => {
    // The caller gives up once the server has the request (not after a fixed time: on a busy machine
    // the request may not have been read by then, and there would be no span to end).
    let arrived = () => {};
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const port = await serve(() => arrived()); // and never answers
    expect(await send(port, "/trpc/orders.slow", {}, reached)).toBe("gone");
    await expect.poll(() => serverSpans().length).toBe(1);
    expect(serverSpans()[0]).toMatchObject({ attributes: { "error.type": "aborted" }, status: { code: SpanStatusCode.UNSET } });
  });

  it("records nothing for a trace the caller did not sample, and passes that decision on", async () => {
    const forwarded: Record<string, string> = {};
    const port = await serve((_req, res) => {
      propagation.inject(context.active(), forwarded);
      res.writeHead(200).end();
    });
    await send(port, "/trpc/orders.place", { traceparent: `00-${traceId}-${callerSpanId}-00` });
    expect(forwarded.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
