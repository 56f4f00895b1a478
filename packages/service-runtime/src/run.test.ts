// A service as the runtime starts it: handed its identity and its clients, signing its calls as
// itself, and logging the failures of the calls it serves, in-process as over HTTP.
import { credentialsOf, deriveSigningKey, trustedKeysFor } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { waitBudgetMs } from "@microshop/build-config/vitest";
import type { FeedReport, LabFeed } from "@microshop/lab/feed";
import { hostService } from "./host";
import { FEED_PATH, labFeedMount } from "./lab-feed";
import { startService } from "./run";
import { startServer, type RunningServer } from "./server";
import { defineService, type ServiceContext } from "./service";
import { echoInstance, echoRouter, type EchoRouter } from "./test-fixtures/echo-service";

const root = "the-stack-secret-of-at-least-32-characters";
const silent = pino({ level: "silent" });
const running: RunningServer[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A service at a free port that answers only the system's processes its topology entry allows. */
async function trustedService(name: string): Promise<string> {
  const server = await startServer({
    name,
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    serviceTrust: { trustedKeys: trustedKeysFor(root, ["order", "storefront"]) },
    mounts: [{ path: "/trpc", name, router: echoRouter, instance: echoInstance(name).instance }],
  });
  running.push(server);
  return `${server.url}/trpc`;
}

/** An echo definition under `name` that keeps the context the runtime starts it with. */
function capturing(name: string) {
  const seen: { context?: ServiceContext } = {};
  const definition = defineService({
    name,
    router: echoRouter,
    defaultPort: 0,
    start: (context) => {
      seen.context = context;
      return Promise.resolve(echoInstance(name).instance);
    },
  });
  return { definition, seen };
}

describe("a service started by the runtime", () => {
  it("signs its calls as the service it runs, whatever process.env says", async () => {
    const payment = await trustedService("payment");
    // Payment serves order, never the storefront: a caller read back from the environment would be refused.
    vi.stubEnv("MICROSHOP_SERVICE_NAME", "storefront");
    const { definition, seen } = capturing("order");
    const { server } = await startService(definition, {
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      SERVICE_SIGNING_KEY: deriveSigningKey(root, "order"),
      PAYMENT_SERVICE_URLS: payment,
    });
    running.push(server);
    expect(seen.context?.name).toBe("order");
    const client = seen.context?.client<EchoRouter>("payment");
    expect(await client?.echo.query({ text: "charge" })).toMatchObject({ replica: "payment" });
  });

  it("logs an in-process call's fault with the failed service's own logger", async () => {
    const lines: Record<string, unknown>[] = [];
    const productLogger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: "http://127.0.0.1:9/trpc" });
    const client = createServiceClient<EchoRouter>("product", { resolver });
    await hostService(capturing("product").definition, { env: {}, logger: productLogger, resolver });
    await expect(client.fail.mutate()).rejects.toThrow("the disk is full");
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "procedure failed", mount: "product", path: "fail", code: "INTERNAL_SERVER_ERROR" }),
    );
  });
});

describe("service credentials", () => {
  it("sign every call for the service it goes to, so that service answers its own system", async () => {
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: await trustedService("product") });
    const client = createServiceClient<EchoRouter>("product", { resolver, credentials: credentialsOf(root, "order") });
    expect(await client.echo.query({ text: "hi" })).toMatchObject({ text: "hi", replica: "product" });
  });

  it("are demanded: a call without one, or signed with another stack's key, is refused with 401", async () => {
    const url = await trustedService("product");
    const unsigned = await fetch(`${url}/echo?input=${encodeURIComponent(JSON.stringify({ json: { text: "hi" } }))}`);
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).toMatch(/only answers the system's own processes: no service credential/);
    const forged = createServiceClient<EchoRouter>("product", {
      resolver: createServiceResolver({ PRODUCT_SERVICE_URLS: url }),
      credentials: credentialsOf("an-attacker-secret-of-at-least-32-chars", "order"),
    });
    await expect(forged.echo.query({ text: "hi" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("name their audience: a client of inventory pointed at product is refused with 401", async () => {
    const misdirected = createServiceClient<EchoRouter>("inventory", {
      resolver: createServiceResolver({ INVENTORY_SERVICE_URLS: await trustedService("product") }),
      credentials: credentialsOf(root, "order"),
    });
    await expect(misdirected.echo.query({ text: "hi" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("travel with queries sent as POST, which a service of ours answers", async () => {
    const resolver = createServiceResolver({ USER_SERVICE_URLS: await trustedService("user") });
    const client = createServiceClient<EchoRouter>("user", { resolver, credentials: credentialsOf(root, "storefront") });
    expect(await client.echo.query({ text: "hello" })).toMatchObject({ text: "hello", replica: "user" });
  });
});

describe("a service in the lab", () => {
  it("is itself, 1.0.0, when nothing names it", async () => {
    const { definition, seen } = capturing("cart");
    const { server } = await startService(definition, { HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent" });
    running.push(server);
    expect(seen.context).toMatchObject({ name: "cart", instance: "cart", version: "1.0.0" });
  });

  it("follows the feed it is handed, as the instance and version it is handed, and stops following on close", async () => {
    const reports: Array<{ report: FeedReport; caller: string }> = [];
    const feed: LabFeed = {
      revision: 4,
      endpoints: { payment: [{ url: "http://127.0.0.1:4105/trpc", instance: "payment-2", version: "1.0.0", weight: 100 }] },
      faults: [],
    };
    const supervisor = await startServer({
      name: "supervisor",
      host: "127.0.0.1",
      port: 0,
      logger: silent,
      mounts: [
        labFeedMount({
          source: { sync: (report, caller) => (reports.push({ report, caller }), feed) },
          trustedKeys: trustedKeysFor(root, ["order"]),
        }),
      ],
    });
    running.push(supervisor);
    const { definition, seen } = capturing("order");
    const { server } = await startService(definition, {
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      SERVICE_SIGNING_KEY: deriveSigningKey(root, "order"),
      LAB_FEED_URL: `${supervisor.url}${FEED_PATH}`,
      SERVICE_INSTANCE_ID: "order-2",
      SERVICE_VERSION: "1.1.0",
    });
    expect(seen.context).toMatchObject({ instance: "order-2", version: "1.1.0" });
    await expect
      .poll(() => reports.at(-1), { timeout: waitBudgetMs })
      .toEqual({
        caller: "order",
        report: { instance: "order-2", revision: 4, calls: [] },
      });
    await server.close();
    const count = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reports).toHaveLength(count);
  });

  it("refuses a feed URL that is not one, naming the variable", async () => {
    const { definition } = capturing("order");
    const exit = vi.spyOn(process, "exit").mockImplementation(() => {
      throw new Error("exited");
    });
    const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expect(startService(definition, { LOG_LEVEL: "silent", LAB_FEED_URL: "nope" })).rejects.toThrow("exited");
    expect(printed.mock.calls.flat().join("\n")).toMatch(/LAB_FEED_URL/);
    exit.mockRestore();
    printed.mockRestore();
  });
});
