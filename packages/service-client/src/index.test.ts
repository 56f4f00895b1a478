import { afterEach, describe, expect, it } from "vitest";
import { createServiceClient } from "./index";
import { createServiceResolver, serviceUrls, type LocalService, type ProcedureFailure } from "./resolver";
import { echoRouter, startEchoServer, type EchoRouter, type EchoServer } from "./test-fixtures/echo-server";

// Nothing listens on port 9: a call that reaches it proves the client went over HTTP.
const deadUrl = "http://127.0.0.1:9/trpc";
const running: EchoServer[] = [];

async function replica(name: string): Promise<string> {
  const server = await startEchoServer(name);
  running.push(server);
  return server.url;
}

const local = (replica: string, onError?: (failure: ProcedureFailure) => void): LocalService => ({
  router: echoRouter,
  createContext: () => Promise.resolve({ replica }),
  ...(onError ? { onError } : {}),
});

afterEach(async () => {
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
    expect(() => createServiceResolver({ PRODUCT_SERVICE_URLS: "not a url" })).toThrow(/PRODUCT_SERVICE_URLS/);
  });
});

describe("createServiceClient", () => {
  it("spreads calls round-robin across every replica", async () => {
    const urls = [await replica("r1"), await replica("r2"), await replica("r3")];
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: urls.join(",") });
    const client = createServiceClient<EchoRouter>("product", { resolver });
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await client.echo.query({ text: "x" })).replica);
    expect(seen).toEqual(["r1", "r2", "r3", "r1", "r2", "r3"]);
  });

  it("follows a changed address list without being made again, and spreads calls across it", async () => {
    const [r1, r2, r3] = [await replica("r1"), await replica("r2"), await replica("r3")];
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: r1 });
    const client = createServiceClient<EchoRouter>("product", { resolver });
    expect((await client.echo.query({ text: "x" })).replica).toBe("r1");
    resolver.setAddresses("product", [r2, r3]);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await client.echo.query({ text: "x" })).replica);
    expect(seen.sort()).toEqual(["r2", "r2", "r3", "r3"]);
  });

  it("follows weighted endpoints set after it was made", async () => {
    const [r1, r2] = [await replica("r1"), await replica("r2")];
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: r1 });
    const client = createServiceClient<EchoRouter>("product", { resolver });
    expect((await client.echo.query({ text: "x" })).replica).toBe("r1");
    resolver.setEndpoints("product", [
      { url: r1, instance: "product-1", weight: 0 },
      { url: r2, instance: "product-2", weight: 100 },
    ]);
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await client.echo.query({ text: "x" })).replica);
    expect(seen).toEqual(["r2", "r2", "r2"]);
  });

  it("fails a call that misses its deadline with a message naming the service", async () => {
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: await replica("slow") });
    const client = createServiceClient<EchoRouter>("product", { resolver, timeoutMs: 100 });
    await expect(client.slow.mutate({ ms: 1_000 })).rejects.toThrow("The product service did not answer within 100 ms");
  });

  it("surfaces a refused connection as a client error", async () => {
    const client = createServiceClient<EchoRouter>("product", {
      resolver: createServiceResolver({ PRODUCT_SERVICE_URLS: deadUrl }),
    });
    await expect(client.echo.query({ text: "x" })).rejects.toThrow();
  });

  it("goes in-process when the router is hosted here (monolith mode)", async () => {
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: deadUrl });
    resolver.host("product", local("local"));
    const client = createServiceClient<EchoRouter>("product", { resolver });
    expect(await client.echo.query({ text: "in" })).toEqual({ text: "in", replica: "local", at: new Date(0) });
  });

  it("chooses at call time: a client made before the router is hosted goes in-process, and back out when it leaves", async () => {
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: deadUrl });
    const client = createServiceClient<EchoRouter>("product", { resolver });
    resolver.host("product", local("local"));
    expect(await client.echo.query({ text: "in" })).toMatchObject({ replica: "local" });
    resolver.unhost("product");
    await expect(client.echo.query({ text: "out" })).rejects.toThrow(/fetch failed/);
  });

  it("hands an in-process failure to the hosted service's onError", async () => {
    const failures: ProcedureFailure[] = [];
    const resolver = createServiceResolver({});
    resolver.host(
      "product",
      local("local", (failure) => failures.push(failure)),
    );
    const client = createServiceClient<EchoRouter>("product", { resolver });
    await expect(client.fail.mutate()).rejects.toThrow("the disk is full");
    expect(failures.map(({ error, path }) => [error.code, path])).toEqual([["INTERNAL_SERVER_ERROR", "fail"]]);
  });

  it("applies the deadline in-process too", async () => {
    const resolver = createServiceResolver({});
    resolver.host("product", local("local"));
    const client = createServiceClient<EchoRouter>("product", { resolver, timeoutMs: 50 });
    await expect(client.slow.mutate({ ms: 1_000 })).rejects.toThrow(/did not answer within 50 ms/);
  });

  it("keeps typed error data from the server", async () => {
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: await replica("r") });
    const client = createServiceClient<EchoRouter>("product", { resolver });
    const error = await client.echo.query({ text: "x".repeat(30) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ data: { code: "BAD_REQUEST", service: "echo" } });
  });
});
