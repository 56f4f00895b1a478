import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { echoInstance, echoRouter, type EchoRouter } from "@microshop/service-runtime/test-fixtures/echo-service";
import { credentialsOf, trustedKeysFor } from "@microshop/service-auth";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createServiceClient, registerLocalService, serviceUrls, unregisterLocalService } from "./index";

const logger = pino({ level: "silent" });
const running: RunningServer[] = [];

async function replica(name: string, rootSecret?: string): Promise<string> {
  const server = await startServer({
    name,
    host: "127.0.0.1",
    port: 0,
    logger,
    ...(rootSecret ? { serviceTrust: { trustedKeys: trustedKeysFor(rootSecret, ["order", "storefront"]) } } : {}),
    mounts: [{ path: "/trpc", name, router: echoRouter, instance: echoInstance(name).instance }],
  });
  running.push(server);
  return `${server.url}/trpc`;
}

afterEach(async () => {
  unregisterLocalService("product");
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe("serviceUrls", () => {
  it("defaults to the service's own port", () => {
    expect(serviceUrls("inventory", {})).toEqual(["http://127.0.0.1:4002/trpc"]);
  });

  it("reads a comma-separated list and trims it", () => {
    expect(serviceUrls("product", { PRODUCT_SERVICE_URLS: " http://a:1/trpc, http://b:2/trpc ," })).toEqual([
      "http://a:1/trpc",
      "http://b:2/trpc",
    ]);
  });

  it("refuses an invalid URL with the variable's name", () => {
    expect(() => serviceUrls("product", { PRODUCT_SERVICE_URLS: "not a url" })).toThrow(/PRODUCT_SERVICE_URLS/);
  });
});

describe("createServiceClient", () => {
  it("spreads calls round-robin across every replica", async () => {
    const urls = [await replica("r1"), await replica("r2"), await replica("r3")];
    const client = createServiceClient<EchoRouter>("product", { env: { PRODUCT_SERVICE_URLS: urls.join(",") } });
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await client.echo.query({ text: "x" })).replica);
    expect(seen).toEqual(["r1", "r2", "r3", "r1", "r2", "r3"]);
  });

  it("fails a call that misses its deadline with a message naming the service", async () => {
    const url = await replica("slow");
    const client = createServiceClient<EchoRouter>("product", { env: { PRODUCT_SERVICE_URLS: url }, timeoutMs: 100 });
    await expect(client.slow.mutate({ ms: 1_000 })).rejects.toThrow("The product service did not answer within 100 ms");
  });

  it("surfaces a refused connection as a client error", async () => {
    const client = createServiceClient<EchoRouter>("product", { env: { PRODUCT_SERVICE_URLS: "http://127.0.0.1:9/trpc" } });
    await expect(client.echo.query({ text: "x" })).rejects.toThrow();
  });

  it("goes in-process when the router is registered locally (monolith mode)", async () => {
    registerLocalService("product", { router: echoRouter, createContext: () => Promise.resolve({ replica: "local" }) });
    // An address that would fail proves no HTTP call is made.
    const client = createServiceClient<EchoRouter>("product", { env: { PRODUCT_SERVICE_URLS: "http://127.0.0.1:9/trpc" } });
    expect(await client.echo.query({ text: "in" })).toEqual({ text: "in", replica: "local", at: new Date(0) });
  });

  it("applies the deadline in-process too", async () => {
    registerLocalService("product", { router: echoRouter, createContext: () => Promise.resolve({ replica: "local" }) });
    const client = createServiceClient<EchoRouter>("product", { timeoutMs: 50 });
    await expect(client.slow.mutate({ ms: 1_000 })).rejects.toThrow(/did not answer within 50 ms/);
  });

  it("keeps typed error data from the server", async () => {
    const url = await replica("r");
    const client = createServiceClient<EchoRouter>("product", { env: { PRODUCT_SERVICE_URLS: url } });
    const error = await client.echo.query({ text: "x".repeat(30) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { code: "BAD_REQUEST", service: "echo" } });
  });
});

describe("service credentials", () => {
  const root = "the-stack-secret-of-at-least-32-characters";

  it("sign every call for the service it goes to, so that service answers its own system", async () => {
    const url = await replica("product", root);
    const client = createServiceClient<EchoRouter>("product", {
      env: { PRODUCT_SERVICE_URLS: url },
      credentials: credentialsOf(root, "order"),
    });
    expect(await client.echo.query({ text: "hi" })).toMatchObject({ text: "hi", replica: "product" });
  });

  it("are demanded: a call without one, or signed with another stack's key, is refused with 401", async () => {
    const url = await replica("product", root);
    const unsigned = await fetch(`${url}/echo?input=${encodeURIComponent(JSON.stringify({ json: { text: "hi" } }))}`);
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).toMatch(/only answers the system's own processes: no service credential/);
    const forged = createServiceClient<EchoRouter>("product", {
      env: { PRODUCT_SERVICE_URLS: url },
      credentials: credentialsOf("an-attacker-secret-of-at-least-32-chars", "order"),
    });
    await expect(forged.echo.query({ text: "hi" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("name their audience: a client of inventory pointed at product is refused with 401", async () => {
    const url = await replica("product", root);
    const misdirected = createServiceClient<EchoRouter>("inventory", {
      env: { INVENTORY_SERVICE_URLS: url },
      credentials: credentialsOf(root, "order"),
    });
    await expect(misdirected.echo.query({ text: "hi" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });
});
