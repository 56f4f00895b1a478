import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner, trustedKeysFor } from "@microshop/service-auth";
import { startServer, type RunningServer } from "./server";
import { transformer } from "@microshop/transformer";
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

describe("trust between processes", () => {
  const root = "a-stack-root-secret-of-at-least-32-characters";
  // The real topology's allow-lists: payment serves only order (and the monolith), inventory more.
  async function startTrusted() {
    const server = await startServer({
      name: "two-services",
      host: "127.0.0.1",
      port: 0,
      logger,
      serviceTrust: { trustedKeys: trustedKeysFor(root, ["order", "storefront", "cart", "operator"]) },
      mounts: ["payment", "inventory"].map((name) => ({
        path: `/${name}/trpc`,
        name,
        router: echoRouter,
        instance: echoInstance(name).instance,
      })),
    });
    running.push(server);
    return server;
  }
  const clientAs = (server: RunningServer, mount: string, caller: string, audience = mount) => {
    const sign = serviceTokenSigner(credentialsOf(root, caller), audience);
    return createTRPCClient<EchoRouter>({
      links: [
        httpLink({
          url: `${server.url}/${mount}/trpc`,
          transformer,
          headers: async () => ({ [SERVICE_TOKEN_HEADER]: await sign() }),
        }),
      ],
    });
  };
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "OK",
      (error: unknown) => (error as TRPCClientError<EchoRouter>).data?.httpStatus,
    );

  it("answers a caller the topology allows, with a token made for this service", async () => {
    const server = await startTrusted();
    await expect(clientAs(server, "payment", "order").echo.query({ text: "charge" })).resolves.toMatchObject({
      replica: "payment",
    });
  });

  it("refuses a genuine caller the service does not serve with 403 (the storefront at payment)", async () => {
    const server = await startTrusted();
    const error = (await clientAs(server, "payment", "storefront")
      .echo.query({ text: "refund" })
      .catch((e: unknown) => e)) as TRPCClientError<EchoRouter>;
    expect(error.data?.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/does not serve storefront for echo: only order, monolith may call it/);
    expect(await codeOf(clientAs(server, "inventory", "storefront").echo.query({ text: "stock" }))).toBe("OK");
  });

  it("narrows a procedure below its service's grant: the storefront reads stock but may not restock it", async () => {
    const server = await startTrusted();
    expect(await clientAs(server, "inventory", "storefront").stock.level.query()).toEqual({ available: 3 });
    const refused = (await clientAs(server, "inventory", "storefront")
      .stock.restock.mutate()
      .catch((e: unknown) => e)) as TRPCClientError<EchoRouter>;
    expect(refused.data?.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/does not serve storefront for stock\.restock: only operator may call it/);
    expect(await codeOf(clientAs(server, "inventory", "order").stock.restock.mutate())).toBe(403);
    expect(await clientAs(server, "inventory", "operator").stock.restock.mutate()).toEqual({ available: 1_003 });
  });

  it("refuses with 401 a token made for another service, replayed here", async () => {
    const server = await startTrusted();
    // Cart may call inventory, and the order service's token for inventory is genuine: neither opens payment.
    expect(await codeOf(clientAs(server, "payment", "order", "inventory").echo.query({ text: "replay" }))).toBe(401);
    expect(await codeOf(clientAs(server, "payment", "cart").echo.query({ text: "x" }))).toBe(403);
    const unsigned = await fetch(
      `${server.url}/payment/trpc/echo?input=${encodeURIComponent(JSON.stringify({ json: { text: "x" } }))}`,
    );
    expect(unsigned.status).toBe(401);
  });
});

describe("a control API", () => {
  const token = "a-control-token-of-enough-length";
  async function startControl() {
    const server = await startServer({
      name: "control",
      host: "127.0.0.1",
      port: 0,
      logger,
      control: { token, hosts: ["127.0.0.1", "localhost", "::1"] },
      mounts: [{ path: "/trpc", name: "control", router: echoRouter, instance: echoInstance("a").instance }],
    });
    running.push(server);
    return server;
  }
  const json = JSON.stringify({ json: { ms: 0 } });
  const authorization = `Bearer ${token}`;

  it("answers a JSON call that carries its token", async () => {
    const server = await startControl();
    const response = await fetch(`${server.url}/trpc/slow`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: json,
    });
    expect(response.status).toBe(200);
  });

  it("refuses a call without its token, or with a wrong one, with 401", async () => {
    const server = await startControl();
    const bare = await fetch(`${server.url}/trpc/slow`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json,
    });
    expect(bare.status).toBe(401);
    expect(await bare.text()).toContain("authorization: Bearer");
    const wrong = await fetch(`${server.url}/trpc/slow`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer guess" },
      body: json,
    });
    expect(wrong.status).toBe(401);
  });

  it("refuses another Host name with 403, token or not (DNS rebinding)", async () => {
    const server = await startControl();
    const { request } = await import("node:http");
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${server.url}/trpc/slow`,
        { method: "POST", headers: { host: "evil.example", "content-type": "application/json", authorization } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on("error", reject);
      req.end(json);
    });
    expect(status).toBe(403);
  });

  it("refuses a cross-site form post (403) and any form or text body (415)", async () => {
    const server = await startControl();
    const form = new URLSearchParams({ json: "{}" });
    const crossSite = await fetch(`${server.url}/trpc/slow`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: form,
    });
    expect(crossSite.status).toBe(403);
    const formBody = await fetch(`${server.url}/trpc/slow`, { method: "POST", headers: { authorization }, body: form });
    expect(formBody.status).toBe(415);
    const text = await fetch(`${server.url}/trpc/slow`, {
      method: "POST",
      headers: { authorization, "content-type": "text/plain" },
      body: json,
    });
    expect(text.status).toBe(415);
  });
});
