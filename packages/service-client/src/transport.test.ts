/**
 * No credential ever travels in a URL between services: a query's input (a session token, a
 * visitor id) is in the URL of a tRPC GET, where proxies, access logs and HTTP spans record it. So
 * every call is a POST with its input in the body, and a service of ours answers a query sent so.
 */
import { createServer, type IncomingMessage } from "node:http";
import { afterEach, expect, it } from "vitest";
import type { Fault } from "@microshop/lab/faults";
import { LAB_DELAY_HEADER } from "./fault-link";
import { createServiceClient } from "./index";
import { createServiceResolver } from "./resolver";
import type { EchoRouter } from "./test-fixtures/echo-server";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server that answers every call with an echo and records what it was sent. */
async function startRecorder() {
  const seen: Array<{ method: string; url: string; body: string; headers: IncomingMessage["headers"] }> = [];
  const recorder = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      seen.push({ method: request.method ?? "", url: request.url ?? "", body, headers: request.headers });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ result: { data: { json: { text: "ok", replica: "r", at: "1970-01-01T00:00:00.000Z" } } } }));
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => recorder.close(() => resolve())));
  const address = recorder.address();
  if (address === null || typeof address === "string") throw new Error("the recorder has no port");
  return { seen, url: `http://127.0.0.1:${address.port}/trpc` };
}

it("sends a query as a POST with its input in the body, never in the URL", async () => {
  const { seen, url } = await startRecorder();
  const client = createServiceClient<EchoRouter>("user", {
    resolver: createServiceResolver({ USER_SERVICE_URLS: url }),
  });
  await client.echo.query({ text: "s3cret-token" });
  expect(seen).toHaveLength(1);
  expect(seen[0]?.method).toBe("POST");
  expect(seen[0]?.url).not.toContain("s3cret-token");
  expect(seen[0]?.url).not.toContain("input=");
  expect(seen[0]?.body).toContain("s3cret-token");
});

it("tells the callee the delay a lab fault made the call wait, and nothing when no fault delayed it", async () => {
  const { seen, url } = await startRecorder();
  let faults: Fault[] = [];
  const client = createServiceClient<EchoRouter>("user", {
    resolver: createServiceResolver({ USER_SERVICE_URLS: url }),
    caller: "order",
    lab: { faults: () => faults },
  });
  await client.echo.query({ text: "plain" });
  faults = [
    {
      id: "slow",
      target: { kind: "edge", caller: "order", callee: "user" },
      latencyMs: 40,
      jitterMs: 0,
      errorRate: 0,
      timeout: false,
      unreachable: false,
      cpuMs: 0,
      since: 0,
    },
  ];
  await client.echo.query({ text: "delayed" });
  faults = [];
  await client.echo.query({ text: "plain again" });
  expect(seen.map((request) => request.headers[LAB_DELAY_HEADER])).toEqual([undefined, "40", undefined]);
});
