/**
 * A call a lab fault delayed in its caller says so (`LAB_DELAY_HEADER`), and the callee puts the
 * delay on its server span, where the telemetry service finds it to time the hop as the caller felt it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanKind } from "@opentelemetry/api";
import { createTRPCClient, httpLink } from "@trpc/client";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FAULT_DELAY_ATTRIBUTE, LAB_DELAY_HEADER } from "@microshop/service-client/fault-link";
import { recordSpans } from "@microshop/tracing/testing";
import { transformer } from "@microshop/transformer";
import { createDispatch } from "./routing";
import { echoInstance, echoRouter, type EchoRouter } from "./test-fixtures/echo-service";

const exporter = recordSpans();
const servers: Server[] = [];
afterEach(async () => {
  exporter.reset();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The dispatch as a service's server runs it: it makes each request's server span itself. */
async function start(): Promise<string> {
  const dispatch = createDispatch({
    name: "echo",
    mounts: [{ path: "/trpc", name: "echo", router: echoRouter, instance: echoInstance("a").instance }],
    routes: [],
    logger: pino({ level: "silent" }),
    maxBodyBytes: 1_000_000,
    readiness: () => Promise.resolve({ status: 200, body: {} }),
  });
  const server = createServer(dispatch);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
}

async function delayOnServerSpan(url: string, header: string | undefined): Promise<unknown> {
  exporter.reset();
  const headers: Record<string, string> = header === undefined ? {} : { [LAB_DELAY_HEADER]: header };
  const client = createTRPCClient<EchoRouter>({
    links: [httpLink({ url, transformer, headers, methodOverride: "POST" })],
  });
  await client.echo.query({ text: "hi" });
  await expect.poll(() => exporter.getFinishedSpans().length).toBeGreaterThan(0);
  const spans = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
  expect(spans.map((s) => s.name)).toEqual(["echo/echo"]);
  return spans[0]?.attributes[FAULT_DELAY_ATTRIBUTE];
}

describe("a delay the caller waited", () => {
  it("is put on the request's server span, a whole number of ms up to a minute, anything else ignored", async () => {
    const url = await start();
    expect(await delayOnServerSpan(url, "300")).toBe(300);
    expect(await delayOnServerSpan(url, "60000")).toBe(60_000);
    expect(await delayOnServerSpan(url, undefined)).toBeUndefined();
    for (const bad of ["60001", "-5", "1.5", "abc", "", "300ms", "1e3"]) {
      expect(await delayOnServerSpan(url, bad)).toBeUndefined();
    }
  });
});
