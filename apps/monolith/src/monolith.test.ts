import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { CartRouter } from "@microshop/cart-service/router";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import { createLogger } from "@microshop/service-runtime/logger";
import type { RunningServer } from "@microshop/service-runtime/server";
import { serviceNames, services, type ServiceName } from "@microshop/topology";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMonolith } from "./monolith";
import { serviceDefinitions } from "./services";

const run = promisify(execFile);
const serviceDir = (name: ServiceName) => path.resolve(import.meta.dirname, "..", "..", "..", services[name].folder);
const silent = createLogger("monolith-test", "silent");
// Nothing listens on port 9: a call that reaches it proves the client went over HTTP.
const deadUrls = Object.fromEntries(
  serviceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URLS`, "http://127.0.0.1:9/trpc"]),
);

let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "microshop-monolith-"));
  // What the supervisor does before it starts the monolith: migrate each service's own database.
  await Promise.all(
    serviceNames.map((name) =>
      run(path.join(serviceDir(name), "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
        cwd: serviceDir(name),
        env: { ...process.env, DATABASE_URL: `file:${path.join(dataDir, `${name}.db`)}` },
      }),
    ),
  );
  server = await startMonolith({
    definitions: serviceDefinitions,
    env: { DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "shared.db")}`, ...deadUrls },
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    loggerFor: () => silent,
  });
}, 180_000); // The shared hook budget (build-config): starting services holds on a loaded 2-core machine.

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the monolith", () => {
  it("is ready when every service inside is, each on its own database file", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ready",
      checks: Object.fromEntries(serviceNames.map((name) => [name, "ok"])),
    });
    expect(serviceNames.filter((name) => !existsSync(path.join(dataDir, `${name}.db`)))).toEqual([]);
    expect(existsSync(path.join(dataDir, "shared.db"))).toBe(false);
  });

  it("serves each router over HTTP at /<name>/trpc", async () => {
    const product = createTRPCClient<ProductRouter>({
      links: [httpLink({ url: `${server.url}/product/trpc`, transformer })],
    });
    const inventory = createTRPCClient<InventoryRouter>({
      links: [httpLink({ url: `${server.url}/inventory/trpc`, transformer })],
    });
    const found = await product.catalog.search.query({ pageSize: 3 });
    expect(found.items.length).toBeGreaterThan(0);
    const levels = await inventory.stock.levels.query({ productIds: found.items.map((item) => item.id) });
    expect(levels.length).toBe(found.items.length);
    const unknown = await fetch(`${server.url}/trpc/catalog.search`);
    expect(unknown.status).toBe(404);
  });

  it("links the services inside in-process, without the network", async () => {
    const product = createTRPCClient<ProductRouter>({
      links: [httpLink({ url: `${server.url}/product/trpc`, transformer })],
    });
    const cart = createTRPCClient<CartRouter>({
      links: [httpLink({ url: `${server.url}/cart/trpc`, transformer })],
    });
    const [item] = (await product.catalog.search.query({ pageSize: 1 })).items;
    // Cart checks the price with product and the stock with inventory: over the dead URLs this would fail.
    const owner = { kind: "visitor" as const, visitorId: "monolith-visitor" };
    const added = await cart.cart.addItem.mutate({ owner, productId: item?.id ?? "", quantity: 1 });
    expect(added.lines.map((line) => line.productId)).toEqual([item?.id]);
  });
});
