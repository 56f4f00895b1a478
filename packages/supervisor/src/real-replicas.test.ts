import { rmSync } from "node:fs";
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner } from "@microshop/service-auth";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { findRepoRoot } from "./config";
import { SupervisorControlPlane } from "./control-plane";
import { buildStack } from "./stack";
import { Supervisor } from "./supervisor";
import { freePort } from "./ports";
import { isAlive, tempDir } from "./test-fixtures/fake-stack";

// The real product service from its dist build (turbo builds it before this test runs), scaled by
// the control plane to two processes sharing one database, and back to one.
const secret = "a-test-stack-secret-of-at-least-32-characters";
let dataDir: string;
let supervisor: Supervisor;
let plane: SupervisorControlPlane;

function info(name: string) {
  return supervisor.list().find((process) => process.name === name);
}

/** A catalog search at one replica, signed as the storefront. */
async function searchAt(url: string): Promise<number> {
  const token = await serviceTokenSigner(credentialsOf(secret, "storefront"), "product")();
  const input = encodeURIComponent(JSON.stringify(transformer.serialize({ pageSize: 3 })));
  const response = await fetch(`${url}/trpc/catalog.search?input=${input}`, { headers: { [SERVICE_TOKEN_HEADER]: token } });
  const body = z.object({ result: z.object({ data: z.unknown() }) }).parse(await response.json());
  const found = z
    .object({ items: z.array(z.object({ id: z.string() })) })
    .parse(transformer.deserialize(body.result.data as Parameters<typeof transformer.deserialize>[0]));
  return found.items.length;
}

async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dataDir = tempDir("replicas");
  const specs = buildStack({
    mode: "microservices",
    dev: false,
    repoRoot: findRepoRoot(),
    dataDir,
    logLevel: "warn",
    services: ["product"],
    storefront: false,
    telemetry: false,
    serviceTokenSecret: secret,
    ports: { services: { product: await freePort() } },
  });
  supervisor = new Supervisor(specs, { mode: "microservices", backoff: { initialMs: 100, maxMs: 1_000, stableMs: 60_000 } });
  plane = new SupervisorControlPlane(supervisor, { logger: { info: () => undefined, warn: () => undefined } });
  await supervisor.startAll();
}, 180_000); // The shared hook budget (build-config): starting services holds on a loaded 2-core machine.

afterAll(async () => {
  await plane?.close();
  await supervisor?.stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("real replicas under the control plane", () => {
  it("scales product to two processes, each on its own port with its own pid, and back to one", async () => {
    const first = info("product")!;

    const scaled = await plane.scale({ service: "product", replicas: 2 });

    expect(scaled.instances.map((instance) => [instance.name, instance.state])).toEqual([
      ["product", "ready"],
      ["product-2", "ready"],
    ]);
    const second = info("product-2")!;
    expect(second.port).not.toBe(first.port);
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(second.pid!)).toBe(true);
    // Both serve the catalog from the one database.
    expect(await searchAt(first.url)).toBeGreaterThan(0);
    expect(await searchAt(second.url)).toBeGreaterThan(0);

    const back = await plane.scale({ service: "product", replicas: 1 });

    expect(back.instances.map((instance) => instance.name)).toEqual(["product"]);
    expect(info("product-2")).toBeUndefined();
    expect(isAlive(second.pid!)).toBe(false);
    expect(await listening(second.port)).toBe(false);
    expect(info("product")).toMatchObject({ state: "ready", pid: first.pid });
  }, 120_000);
});
