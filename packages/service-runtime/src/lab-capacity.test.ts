// The callee's side of the lab: capacity faults at the door of every call into a service, over
// HTTP and in-process, and the versions a deploy can bring (a bad build, a changed API).
import { createServiceClient } from "@microshop/service-client";
import { downstreamCode } from "@microshop/service-client/errors";
import { createServiceResolver } from "@microshop/service-client/resolver";
import type { Fault } from "@microshop/lab/faults";
import { initTRPC } from "@trpc/server";
import { createTRPCClient, httpLink } from "@trpc/client";
import { transformer } from "@microshop/transformer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitBudgetMs } from "@microshop/build-config/vitest";
import { z } from "zod";
import { hostService } from "./host";
import { createProcessLab, type ProcessLab } from "./lab";
import { createLogger } from "./logger";
import { startServer, type RunningServer } from "./server";
import { defineService, type ServiceInstance } from "./service";
import { createErrorFormatter } from "./trpc";
import type { VersionBehaviour } from "./version-flavour";

const silent = createLogger("capacity-test", "silent");
const servers: RunningServer[] = [];
let faults: Fault[] = [];
let events: string[] = [];
beforeEach(() => {
  faults = [];
  events = [];
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const t = initTRPC.create({ transformer, errorFormatter: createErrorFormatter("product") });
/** Each call says when it starts and ends, so the order of calls can be seen without timing them. */
const workRouter = t.router({
  work: t.procedure.input(z.object({ name: z.string(), ms: z.number().int().min(0) })).mutation(async ({ input }) => {
    events.push(`start ${input.name}`);
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    events.push(`end ${input.name}`);
    return { done: input.name };
  }),
});
type WorkRouter = typeof workRouter;

const instance: ServiceInstance<object> = {
  createContext: () => Promise.resolve({}),
  checkReady: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

const onProduct = (effect: Partial<Fault>): Fault => ({
  id: "capacity",
  target: { kind: "service", service: "product" },
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  timeout: false,
  unreachable: false,
  cpuMs: 0,
  since: 0,
  ...effect,
});

async function serveProduct(options: { lab?: ProcessLab; version?: VersionBehaviour } = {}) {
  const server = await startServer({
    name: "product",
    host: "127.0.0.1",
    port: 0,
    logger: silent,
    shutdownTimeoutMs: 2_000,
    mounts: [{ path: "/trpc", name: "product", router: workRouter, instance }],
    ...options,
  });
  servers.push(server);
  const client = (timeoutMs = 20_000) =>
    createServiceClient<WorkRouter>("product", {
      resolver: createServiceResolver({ PRODUCT_SERVICE_URLS: `${server.url}/trpc` }),
      timeoutMs,
    });
  return { server, client };
}

describe("a concurrency limit", () => {
  it("makes calls beyond it wait their turn, in order: with 1, the second starts after the first ends", async () => {
    faults = [onProduct({ concurrency: 1 })];
    const { client } = await serveProduct({ lab: createProcessLab(() => faults) });
    await Promise.all([client().work.mutate({ name: "a", ms: 200 }), client().work.mutate({ name: "b", ms: 0 })]);
    expect(events).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("lets calls run side by side without one", async () => {
    const { client } = await serveProduct({ lab: createProcessLab(() => faults) });
    await Promise.all([client().work.mutate({ name: "a", ms: 200 }), client().work.mutate({ name: "b", ms: 0 })]);
    expect(events).toEqual(["start a", "start b", "end b", "end a"]);
  });

  it("keeps a waiting call only as long as its caller waits", async () => {
    faults = [onProduct({ concurrency: 1 })];
    const lab = createProcessLab(() => faults);
    const { client } = await serveProduct({ lab });
    const first = client().work.mutate({ name: "a", ms: 1_000 });
    const second = client(150).work.mutate({ name: "b", ms: 0 });
    await expect(second).rejects.toThrow(/did not answer within 150 ms/);
    await expect.poll(() => lab.gate("product").waiting, { timeout: waitBudgetMs }).toBe(0);
    await first;
    // The call that gave up holds no turn: the next one is served.
    await expect(client(5_000).work.mutate({ name: "c", ms: 0 })).resolves.toEqual({ done: "c" });
    expect(events).toEqual(["start a", "end a", "start c", "end c"]);
  });

  it("applies to in-process calls into a hosted service too (the monolith)", async () => {
    faults = [onProduct({ concurrency: 1 })];
    const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: "http://127.0.0.1:9/trpc" });
    const definition = defineService({
      name: "product",
      router: workRouter,
      defaultPort: 0,
      start: () => Promise.resolve(instance),
    });
    await hostService(definition, { env: {}, logger: silent, resolver, lab: createProcessLab(() => faults) });
    const client = createServiceClient<WorkRouter>("product", { resolver, timeoutMs: 20_000 });
    await Promise.all([client.work.mutate({ name: "a", ms: 200 }), client.work.mutate({ name: "b", ms: 0 })]);
    expect(events).toEqual(["start a", "end a", "start b", "end b"]);
  });
});

describe("a CPU cost per call", () => {
  it("keeps the replica's thread busy for it (a busy loop, not a wait: the event loop stalls)", async () => {
    faults = [onProduct({ cpuMs: 300 })];
    const { client } = await serveProduct({ lab: createProcessLab(() => faults) });
    // A ticker on this thread (the server runs here too): a wait on a timer would leave it ticking.
    const ticks: number[] = [performance.now()];
    const ticker = setInterval(() => ticks.push(performance.now()), 5);
    await client().work.mutate({ name: "a", ms: 0 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    clearInterval(ticker);
    const longestGap = Math.max(...ticks.slice(1).map((tick, index) => tick - (ticks[index] ?? tick)));
    expect(longestGap).toBeGreaterThanOrEqual(295);
  });
});

describe("a version's flavour", () => {
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "OK",
      (error: unknown) => downstreamCode(error) ?? "no answer",
    );

  it("errors: a bad build fails about half of its calls with INTERNAL_SERVER_ERROR, yet is ready", async () => {
    let draw = 0;
    const draws = [0.1, 0.9, 0.3, 0.7];
    const { server, client } = await serveProduct({
      version: { version: "1.1.0", flavour: "errors", random: () => draws[draw++ % draws.length] ?? 0 },
    });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await codeOf(client().work.mutate({ name: `${i}`, ms: 0 })));
    expect(codes).toEqual(["INTERNAL_SERVER_ERROR", "OK", "INTERNAL_SERVER_ERROR", "OK"]);
    await expect(
      client()
        .work.mutate({ name: "x", ms: 0 })
        .catch((e: unknown) => e),
    ).resolves.toMatchObject({
      message: "Version 1.1.0 of product is a bad build",
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("breaking: a changed API refuses every call with BAD_REQUEST saying so, yet is ready", async () => {
    const { server } = await serveProduct({ version: { version: "2.0.0", flavour: "breaking" } });
    const client = createTRPCClient<WorkRouter>({ links: [httpLink({ url: `${server.url}/trpc`, transformer })] });
    const error = await client.work.mutate({ name: "a", ms: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      data: { code: "BAD_REQUEST", service: "product" },
      message: "product 2.0.0 changed its API: it expects the v2 input shape; callers send v1",
    });
    expect(events).toEqual([]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it("good: serves as usual", async () => {
    const { client } = await serveProduct({ version: { version: "1.1.0", flavour: "good", random: () => 0 } });
    await expect(client().work.mutate({ name: "a", ms: 0 })).resolves.toEqual({ done: "a" });
  });
});
