import { rmSync } from "node:fs";
import type { LabFeed } from "@microshop/lab/feed";
import type { Deployment } from "@microshop/lab";
import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it } from "vitest";
import { SupervisorControlPlane } from "./control-plane";
import type { LoadDriver } from "./load-driver";
import { idleLoadStatus } from "./load-driver";
import type { ProcessSpec, StackMode } from "./process-spec";
import { Supervisor } from "./supervisor";
import { fakeSpec, isAlive, recordedEvents, tempDir, until } from "./test-fixtures/fake-stack";

// The control plane over fake processes (test-fixtures/fake-service.mjs): real children, started
// and stopped for real, with the processes that follow the feed played by the test itself.

const quiet = { info: () => undefined, warn: () => undefined };
let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function stack(
  build: (dir: string) => Promise<ProcessSpec[]>,
  options: { mode?: StackMode; load?: LoadDriver } = {},
): Promise<{ dir: string; supervisor: Supervisor; plane: SupervisorControlPlane }> {
  const dir = tempDir("plane");
  const supervisor = new Supervisor(await build(dir), { mode: options.mode ?? "microservices", stopTimeoutMs: 2_000 });
  // A generous budget for callers to follow: on a loaded machine the stop must still wait for them.
  const plane = new SupervisorControlPlane(supervisor, {
    logger: quiet,
    applyTimeoutMs: 30_000,
    ...(options.load ? { load: options.load } : {}),
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => supervisor.stopAll());
  cleanups.push(() => plane.close());
  await supervisor.startAll();
  return { dir, supervisor, plane };
}

/** product and a storefront that calls it: the storefront's feed reports are the test's. */
async function productAndStorefront(dir: string): Promise<ProcessSpec[]> {
  return [
    await fakeSpec("product", dir),
    { ...(await fakeSpec("storefront", dir, { dependsOn: ["product"] })), kind: "storefront" },
  ];
}

/**
 * Plays a process following the feed: reports every 20 ms, and applies a new revision only after
 * `lagMs`, as a busy caller would; `applied` is what it sends by now.
 */
function follow(plane: SupervisorControlPlane, instance: string, lagMs: number) {
  let applied: LabFeed | null = null;
  let seen: { feed: LabFeed; at: number } | null = null;
  const timer = setInterval(() => {
    const feed = plane.feed.sync({ instance, revision: applied?.revision ?? -1, calls: [] }, instance);
    if (seen?.feed.revision !== feed.revision) seen = { feed, at: Date.now() };
    if (Date.now() - seen.at >= lagMs) applied = seen.feed;
  }, 20);
  cleanups.push(() => clearInterval(timer));
  return {
    applied: () => applied,
    /** The instances it sends product's calls to now. */
    productInstances: () => (applied?.endpoints.product ?? []).map((endpoint) => endpoint.instance),
  };
}

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

function info(supervisor: Supervisor, name: string) {
  return supervisor.list().find((process) => process.name === name);
}

describe("scaling", () => {
  it("starts a replica on its own port, and sends it calls only once it is ready", async () => {
    const { supervisor, plane, dir } = await stack(productAndStorefront);
    const storefront = follow(plane, "storefront", 0);
    await until("the storefront to follow the feed", () => storefront.productInstances().length === 1);
    const endpointsWhenStarting: string[][] = [];
    supervisor.onStateChange((change) => {
      if (change.process.name === "product-2" && change.state === "starting")
        endpointsWhenStarting.push((plane.feed.current().endpoints.product ?? []).map((endpoint) => endpoint.instance));
    });

    const view = await plane.scale({ service: "product", replicas: 2 });

    expect(endpointsWhenStarting).toEqual([["product"]]);
    expect(view.replicas).toBe(2);
    expect(view.instances.map(({ name, replica, state, weight }) => ({ name, replica, state, weight }))).toEqual([
      { name: "product", replica: 1, state: "ready", weight: 50 },
      { name: "product-2", replica: 2, state: "ready", weight: 50 },
    ]);
    // It answered only once every caller sends to the new replica.
    expect(storefront.productInstances()).toEqual(["product", "product-2"]);
    const [first, second] = [info(supervisor, "product")!, info(supervisor, "product-2")!];
    expect(second.port).not.toBe(first.port);
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(second.pid!)).toBe(true);
    expect(recordedEvents(dir)).toContain("start product-2");
  });

  it("takes a replica out of the endpoints, waits until every caller follows, and only then stops it", async () => {
    const { supervisor, plane, dir } = await stack(productAndStorefront);
    await plane.scale({ service: "product", replicas: 2 });
    // A caller that takes 300 ms to apply each change: the stop must wait for it.
    const storefront = follow(plane, "storefront", 300);
    await until("the storefront to follow the feed", () => storefront.productInstances().length === 2);
    const sentToWhenStopped: string[][] = [];
    supervisor.onStateChange((change) => {
      if (change.process.name === "product-2" && change.state === "stopping")
        sentToWhenStopped.push(storefront.productInstances());
    });
    const pid = info(supervisor, "product-2")!.pid!;

    const view = await plane.scale({ service: "product", replicas: 1 });

    expect(sentToWhenStopped).toEqual([["product"]]);
    expect(recordedEvents(dir)).toContain("sigterm product-2");
    expect(isAlive(pid)).toBe(false);
    expect(view.instances.map((instance) => instance.name)).toEqual(["product"]);
    expect(supervisor.list().map((process) => process.name)).toEqual(["product", "storefront"]);
  });

  it("is refused in the monolith, where the service lives inside one process; faults still work", async () => {
    const { plane } = await stack(
      async (dir) => [{ ...(await fakeSpec("monolith", dir)), kind: "monolith", hosts: ["product", "cart"] }],
      {
        mode: "monolith",
      },
    );
    const refused = await refusal(plane.scale({ service: "product", replicas: 2 }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(
      /^In monolith mode product runs inside the monolith process, so it cannot be scaled on its own/,
    );
    expect((await refusal(plane.deploy({ service: "cart", strategy: { kind: "rolling" } }))).code).toBe("PRECONDITION_FAILED");

    const fault = await plane.setFault({ target: { kind: "service", service: "payment" }, latencyMs: 300 });
    const snapshot = await plane.snapshot();
    expect(snapshot.mode).toBe("monolith");
    expect(snapshot.faults).toEqual([fault]);
    expect(snapshot.services.map((service) => [service.service, service.ownProcess, service.instances[0]?.name])).toEqual([
      ["product", false, "monolith"],
      ["cart", false, "monolith"],
    ]);
    expect(plane.feed.current()).toMatchObject({ endpoints: {}, faults: [fault] });
  });
});

describe("deploys", () => {
  it("rolls every replica over to the next version, counting the calls to the service meanwhile", async () => {
    const { supervisor, plane } = await stack(productAndStorefront);
    await plane.scale({ service: "product", replicas: 2 });
    const storefrontPid = info(supervisor, "storefront")!.pid;
    plane.feed.sync(
      { instance: "storefront", revision: -1, calls: [{ callee: "product", instance: "product", ok: 50, failed: 0 }] },
      "storefront",
    );
    let reported = false;
    // Calls the storefront makes during the deploy, reported as it would.
    supervisor.onStateChange((change) => {
      if (change.process.name === "product-3" && change.state === "ready" && !reported) {
        reported = true;
        plane.feed.sync(
          { instance: "storefront", revision: -1, calls: [{ callee: "product", instance: "product", ok: 7, failed: 1 }] },
          "storefront",
        );
      }
    });

    const deployment = await plane.deploy({ service: "product", strategy: { kind: "rolling" } });

    expect(deployment).toMatchObject({ strategy: "rolling", from: "1.0.0", to: "1.1.0", state: "done", weight: 100 });
    expect(deployment.calls).toEqual({ ok: 7, failed: 1 });
    expect(deployment.finishedAt).toBeGreaterThanOrEqual(deployment.startedAt);
    const snapshot = await plane.snapshot();
    const product = snapshot.services.find((service) => service.service === "product")!;
    expect(product.version).toBe("1.1.0");
    expect(product.instances.map((instance) => instance.version)).toEqual(["1.1.0", "1.1.0"]);
    expect(product.deployment).toBeNull();
    expect(snapshot.deployments.map((kept) => kept.id)).toEqual([deployment.id]);
    expect(info(supervisor, "storefront")!.pid).toBe(storefrontPid);
    for (const instance of product.instances) expect(supervisor.lookup(instance.name).found).toBe(true);

    // Back by hand: a rolling deploy to the version before.
    const back = await plane.rollBack({ service: "product" });
    expect(back).toMatchObject({ from: "1.1.0", to: "1.0.0", state: "done" });
    expect((await plane.snapshot()).deployments.map((kept) => [kept.to, kept.state])).toEqual([
      ["1.0.0", "done"],
      ["1.1.0", "rolled-back"],
    ]);
  });

  it("refuses a second deploy of a service while one runs, with CONFLICT", async () => {
    const { plane } = await stack(productAndStorefront);
    const first = plane.deploy({ service: "product", strategy: { kind: "rolling" } });
    const second = await refusal(plane.deploy({ service: "product", version: "2.0.0", strategy: { kind: "rolling" } }));
    expect(second.code).toBe("CONFLICT");
    expect(second.message).toBe("product is being deployed (1.0.0 to 1.1.0, rolling); try again once that is done");
    await first;

    await plane.deploy({ service: "product", strategy: { kind: "canary", weight: 10 } });
    const third = await refusal(plane.deploy({ service: "product", strategy: { kind: "rolling" } }));
    expect(third.code).toBe("CONFLICT");
    expect(third.message).toMatch(/has a canary of 1\.2\.0 taking 10 % of its calls: promote it or roll it back/);
  });

  it("gives a canary its weight of the calls, changes it live, and promotes it", async () => {
    const { plane, supervisor } = await stack(productAndStorefront);
    await plane.scale({ service: "product", replicas: 2 });
    const storefront = follow(plane, "storefront", 0);

    const deployment = await plane.deploy({ service: "product", flavour: "errors", strategy: { kind: "canary", weight: 20 } });

    expect(deployment).toMatchObject({ strategy: "canary", state: "canary", to: "1.1.0", flavour: "errors", weight: 20 });
    const weights = () =>
      (storefront.applied()?.endpoints.product ?? []).map((endpoint) => [endpoint.instance, endpoint.version, endpoint.weight]);
    expect(weights()).toEqual([
      ["product", "1.0.0", 40],
      ["product-2", "1.0.0", 40],
      ["product-3", "1.1.0", 20],
    ]);
    expect(info(supervisor, "product-3")).toBeDefined();

    expect(await plane.setCanaryWeight({ service: "product", weight: 50 })).toMatchObject({ weight: 50 });
    expect(weights()).toEqual([
      ["product", "1.0.0", 25],
      ["product-2", "1.0.0", 25],
      ["product-3", "1.1.0", 50],
    ]);

    const promoted = await plane.promote({ service: "product" });
    expect(promoted).toMatchObject({ state: "done", reason: "promoted" });
    const product = (await plane.snapshot()).services[0]!;
    expect(product.instances.map((instance) => [instance.version, instance.weight])).toEqual([
      ["1.1.0", 50],
      ["1.1.0", 50],
    ]);
    expect(product.replicas).toBe(2);
  });

  it("rolls a canary back by itself once its error rate passes the threshold, over enough calls", async () => {
    const { plane, supervisor } = await stack(productAndStorefront);
    const deployment = await plane.deploy({ service: "product", strategy: { kind: "canary", weight: 30, rollbackAbove: 0.2 } });
    const canary = (await plane.snapshot()).services[0]!.instances.find((instance) => instance.version === "1.1.0")!;
    const report = (ok: number, failed: number) =>
      plane.feed.sync(
        { instance: "storefront", revision: -1, calls: [{ callee: "product", instance: canary.name, ok, failed }] },
        "storefront",
      );
    const state = async () => (await plane.snapshot()).deployments.find((kept) => kept.id === deployment.id)!;

    // Too few calls to judge, however bad.
    report(0, 19);
    expect((await state()).state).toBe("canary");
    // 20 calls, 19 failed: 95 % is past 20 %.
    report(1, 0);
    let judged: Deployment | undefined;
    await until("the roll-back", () => {
      void state().then((kept) => (judged = kept));
      return judged?.state === "rolled-back";
    });
    expect(judged).toMatchObject({ reason: "error rate 95 % above 20 %", canary: { ok: 1, failed: 19 } });
    await until("the canary to be gone", () => info(supervisor, canary.name) === undefined);
    expect(isAlive(canary.pid!)).toBe(false);
    expect((await plane.snapshot()).services[0]!.instances.map((instance) => [instance.name, instance.version])).toEqual([
      ["product", "1.0.0"],
    ]);
  });

  it("keeps a canary whose error rate stays under the threshold", async () => {
    const { plane } = await stack(productAndStorefront);
    await plane.deploy({ service: "product", strategy: { kind: "canary", weight: 30, rollbackAbove: 0.5 } });
    const canary = (await plane.snapshot()).services[0]!.instances.find((instance) => instance.version === "1.1.0")!;
    plane.feed.sync(
      { instance: "storefront", revision: -1, calls: [{ callee: "product", instance: canary.name, ok: 60, failed: 40 }] },
      "storefront",
    );
    // The roll-back would have begun within the report: nothing changed.
    expect((await plane.snapshot()).services[0]!.deployment).toMatchObject({
      state: "canary",
      canary: { ok: 60, failed: 40, errorRate: 0.4 },
    });
    expect((await plane.rollBack({ service: "product" })).reason).toBe("rolled back by hand");
  });
});

describe("faults, scenarios and load", () => {
  it("clears only a scenario's own faults, and says which scenarios are on", async () => {
    const { plane } = await stack(productAndStorefront);
    const mine = await plane.setFault({ target: { kind: "edge", caller: "storefront", callee: "product" }, errorRate: 0.5 });
    expect(mine).toMatchObject({ latencyMs: 0, errorRate: 0.5 });
    expect(mine.id).toMatch(/^fault-\d+$/);

    const applied = await plane.applyScenario({ name: "slow-payments" });
    expect(applied.faults).toHaveLength(2);
    expect(applied.scenarios.find((scenario) => scenario.name === "slow-payments")).toMatchObject({ active: true });
    expect(plane.feed.current().faults).toHaveLength(2);

    const cleared = await plane.clearScenario({ name: "slow-payments" });
    expect(cleared.faults).toEqual([mine]);
    expect(cleared.scenarios.every((scenario) => !scenario.active)).toBe(true);
    expect(plane.feed.current().faults).toEqual([mine]);

    expect((await refusal(plane.clearFault({ id: "no-such-fault" }))).code).toBe("NOT_FOUND");
    expect(await plane.clearFault({ id: mine.id })).toEqual([]);
  });

  it("starts a scenario's load through the load driver and stops it with the scenario; no driver, no load", async () => {
    const asked: string[] = [];
    const driver: LoadDriver = {
      start: (settings) => {
        asked.push(`start ${settings.rate}`);
        return { ...idleLoadStatus, running: true, settings };
      },
      stop: () => {
        asked.push("stop");
        return idleLoadStatus;
      },
      status: () => idleLoadStatus,
      close: () => Promise.resolve(),
    };
    const { plane } = await stack(productAndStorefront, { load: driver });
    await plane.applyScenario({ name: "black-friday" });
    await plane.clearScenario({ name: "black-friday" });
    expect(asked).toEqual(["start 30", "stop"]);

    const { plane: bare } = await stack(productAndStorefront);
    const refused = await refusal(bare.startLoad({ rate: 5, mix: { browse: 1, search: 0, cart: 0, signUp: 0, checkout: 0 } }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/no load generator/);
    // A scenario with load is refused whole: none of its faults is set.
    await refusal(bare.applyScenario({ name: "black-friday" }));
    expect((await bare.snapshot()).faults).toEqual([]);
  });
});
