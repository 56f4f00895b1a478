import { rmSync } from "node:fs";
import path from "node:path";
import { credentialsOf } from "@microshop/service-auth";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRepoRoot } from "./config";
import { buildStack } from "./stack";
import { Supervisor } from "./supervisor";
import { freePort, tempDir, until } from "./test-fixtures/fake-stack";

// The real product and inventory services from their dist builds (turbo builds them before this
// test runs), with real migrations into a throw-away data directory.
let dataDir: string;
let supervisor: Supervisor;

function info(name: string) {
  const found = supervisor.list().find((process) => process.name === name);
  if (!found) throw new Error(`no process ${name}`);
  return found;
}

const secret = "a-test-stack-secret-of-at-least-32-characters";

beforeAll(async () => {
  dataDir = tempDir("real");
  const specs = buildStack({
    mode: "microservices",
    dev: false,
    repoRoot: findRepoRoot(),
    dataDir,
    logLevel: "warn",
    services: ["product", "inventory"],
    storefront: false,
    telemetry: false,
    // Production mode: services refuse to start without the keys that sign and check calls between them.
    serviceTokenSecret: secret,
    ports: { services: { product: await freePort(), inventory: await freePort() } },
  });
  supervisor = new Supervisor(specs, { mode: "microservices", backoff: { initialMs: 100, maxMs: 1_000, stableMs: 60_000 } });
  await supervisor.startAll();
}, 180_000); // The shared hook budget (build-config): starting services holds on a loaded 2-core machine.

afterAll(async () => {
  await supervisor?.stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the real services under the supervisor", () => {
  it("migrates, seeds and serves each service over HTTP", async () => {
    expect([info("product").state, info("inventory").state]).toEqual(["ready", "ready"]);
    // As the storefront would: a process of the stack that both services serve.
    const credentials = credentialsOf(secret, "storefront");
    const product = createServiceClient<ProductRouter>("product", {
      resolver: createServiceResolver({ PRODUCT_SERVICE_URLS: `${info("product").url}/trpc` }),
      credentials,
    });
    const inventory = createServiceClient<InventoryRouter>("inventory", {
      resolver: createServiceResolver({ INVENTORY_SERVICE_URLS: `${info("inventory").url}/trpc` }),
      credentials,
    });

    const found = await product.catalog.search.query({ pageSize: 5 });
    expect(found.items.length).toBeGreaterThan(0);
    const ids = found.items.map((item) => item.id);
    const levels = await inventory.stock.levels.query({ productIds: ids });
    expect(levels.map((level) => level.productId).sort()).toEqual([...ids].sort());
    expect(path.basename(info("inventory").logFile)).toBe("inventory.log");
  });

  it("restarts a service killed with SIGKILL", async () => {
    const before = info("inventory");
    process.kill(before.pid!, "SIGKILL");
    await until(
      "inventory to come back",
      () => info("inventory").state === "ready" && info("inventory").pid !== before.pid,
      30_000,
    );
    expect(info("inventory").restarts).toBe(before.restarts + 1);
    expect(info("product").restarts).toBe(0);
  }, 40_000);
});
