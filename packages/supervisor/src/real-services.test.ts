import { rmSync } from "node:fs";
import path from "node:path";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner } from "@microshop/service-auth";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { findRepoRoot } from "./config";
import { buildStack } from "./stack";
import { Supervisor } from "./supervisor";
import { freePort } from "./ports";
import { tempDir, until } from "./test-fixtures/fake-stack";

// The real product and inventory services from their dist builds (turbo builds them before this
// test runs, `turbo.json`), with real migrations into a throw-away data directory. A package never
// depends on an app, so the calls are plain tRPC over HTTP and their answers are read with zod.
let dataDir: string;
let supervisor: Supervisor;

function info(name: string) {
  const found = supervisor.list().find((process) => process.name === name);
  if (!found) throw new Error(`no process ${name}`);
  return found;
}

const secret = "a-test-stack-secret-of-at-least-32-characters";

/** A tRPC query to a service of the stack, signed as the storefront (a process that both services serve). */
async function query<T>(service: "product" | "inventory", procedure: string, input: unknown, output: z.ZodType<T>): Promise<T> {
  const token = await serviceTokenSigner(credentialsOf(secret, "storefront"), service)();
  const serialized = encodeURIComponent(JSON.stringify(transformer.serialize(input)));
  const response = await fetch(`${info(service).url}/trpc/${procedure}?input=${serialized}`, {
    headers: { [SERVICE_TOKEN_HEADER]: token },
  });
  const body = z.object({ result: z.object({ data: z.unknown() }) }).parse(await response.json());
  return output.parse(transformer.deserialize(body.result.data as Parameters<typeof transformer.deserialize>[0]));
}

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
    const found = await query(
      "product",
      "catalog.search",
      { pageSize: 5 },
      z.object({ items: z.array(z.object({ id: z.string() })) }),
    );
    expect(found.items.length).toBeGreaterThan(0);
    const ids = found.items.map((item) => item.id);
    const levels = await query("inventory", "stock.levels", { productIds: ids }, z.array(z.object({ productId: z.string() })));
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
