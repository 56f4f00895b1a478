import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startServer, type RunningServer } from "./server";
import { transformer } from "./trpc";
import { echoInstance, echoRouter, type EchoRouter } from "./test-fixtures/echo-service";

const logger = pino({ level: "silent" });
const running: RunningServer[] = [];

async function start(options: { ready?: () => boolean; shutdownTimeoutMs?: number; maxBodyBytes?: number } = {}) {
  const echo = echoInstance("a", options);
  const server = await startServer({
    name: "echo",
    host: "127.0.0.1",
    port: 0,
    logger,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5_000,
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    mounts: [{ path: "/trpc", name: "echo", router: echoRouter, instance: echo.instance }],
  });
  running.push(server);
  const client = createTRPCClient<EchoRouter>({ links: [httpLink({ url: `${server.url}/trpc`, transformer })] });
  return { server, client, echo };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe("startServer", () => {
  it("serves tRPC under the mount path with superjson on the wire", async () => {
    const { client } = await start();
    const result = await client.echo.query({ text: "hi" });
    expect(result).toEqual({ text: "hi", replica: "a", at: new Date(0) });
  });

  it("answers /healthz always and /readyz only when every mount is ready", async () => {
    let ready = false;
    const { server } = await start({ ready: () => ready });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: "not ready", checks: { echo: "warming up" } });
    ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it("returns 404 for unknown paths", async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it("turns an invalid input into BAD_REQUEST with field errors and a readable message", async () => {
    const { client } = await start();
    const error = await client.echo.query({ text: "x".repeat(21) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const clientError = error as TRPCClientError<EchoRouter>;
    expect(clientError.data?.code).toBe("BAD_REQUEST");
    expect(clientError.data?.zodError?.fieldErrors).toHaveProperty("text");
    expect(clientError.data?.service).toBe("echo");
    expect(clientError.message).toMatch(/^Invalid input: text:/);
    expect(clientError.data).not.toHaveProperty("stack");
  });

  it("rejects a body larger than the limit before the procedure runs", async () => {
    const { server } = await start({ maxBodyBytes: 1_000 });
    const response = await fetch(`${server.url}/trpc/slow`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { ms: 0, pad: "x".repeat(5_000) } }),
    });
    expect(response.status).toBe(413);
  });

  it("finishes in-flight requests on close, then closes every mount", async () => {
    const { server, client, echo } = await start();
    const inFlight = client.slow.mutate({ ms: 300 });
    // Close only once the server holds the request (a busy machine may take a while to send it).
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    const closing = server.close();
    await expect(inFlight).resolves.toEqual({ waited: 300 });
    await closing;
    expect(echo.isClosed()).toBe(true);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
