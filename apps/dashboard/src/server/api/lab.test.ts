import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFault } from "@microshop/lab";
import { startPretendControlPlane, type RunningPretendControlPlane } from "~/testing/pretend-control-plane";
import { createCaller } from "./root";
import { createContextFor } from "./trpc";

// Budgets, not assertions: the pretend plane answers within a few of its 20 ms replica start-ups.
const config = { READ_TIMEOUT_MS: 15_000, STATUS_TIMEOUT_MS: 15_000, CONTROL_TIMEOUT_MS: 15_000, LAB_TIMEOUT_MS: 30_000 };
// Ports nothing listens on: the BFF's own sources are not what these tests look at.
const nowhere = "http://127.0.0.1:9/trpc";
const token = "a-control-token-long-enough";

let running: RunningPretendControlPlane;
let monolith: RunningPretendControlPlane;

beforeAll(async () => {
  running = await startPretendControlPlane({ delayMs: 20, token });
  monolith = await startPretendControlPlane({ delayMs: 20, mode: "monolith", token });
});
afterAll(async () => {
  await running.close();
  await monolith.close();
});

const lab = (url: string | null = running.url, extra: Record<string, string> = {}) =>
  createCaller(
    createContextFor({
      ...config,
      TELEMETRY_URL: nowhere,
      SUPERVISOR_URL: nowhere,
      CONTROL_PLANE_URL: url ?? undefined,
      SUPERVISOR_CONTROL_TOKEN: token,
      ...extra,
    }),
  ).lab;

const service = async (name: string) => {
  const { snapshot } = await lab().snapshot();
  return snapshot!.services.find((view) => view.service === name)!;
};

describe("lab without a control plane", () => {
  it("says the lab needs the whole stack, and refuses changes with the same reason", async () => {
    const none = lab(null);
    const answer = await none.snapshot();
    expect(answer.snapshot).toBeNull();
    expect(answer.unavailable).toMatch(/pnpm start/);
    const scaling = none.scale({ service: "payment", replicas: 2 });
    await expect(scaling).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(scaling).rejects.toThrow(/pnpm start/);
  });

  it("says so when the configured control plane does not answer", async () => {
    const { unavailable } = await lab("http://127.0.0.1:9/control/trpc").snapshot();
    expect(unavailable).toMatch(/control plane is not reachable.*pnpm start/i);
  });
});

describe("lab.scale", () => {
  it("adds replicas, each with its share of the calls, and takes them away again", async () => {
    const view = await lab().scale({ service: "payment", replicas: 3 });
    expect(view.instances.map((i) => [i.name, i.state, i.weight])).toEqual([
      ["payment-1", "ready", 33],
      ["payment-2", "ready", 33],
      ["payment-3", "ready", 33],
    ]);
    expect((await service("payment")).replicas).toBe(3);
    expect((await lab().scale({ service: "payment", replicas: 1 })).instances.map((i) => i.name)).toEqual(["payment-1"]);
  });

  it("refuses what the plane would refuse before it reaches it, with a reason a person can act on", async () => {
    await expect(lab().scale({ service: "payment", replicas: 9 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      lab().setFault({ target: { kind: "edge", caller: "order", callee: "payment" }, cpuMs: 5 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const inMonolith = lab(monolith.url).scale({ service: "cart", replicas: 2 });
    await expect(inMonolith).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(inMonolith).rejects.toThrow(/monolith/);
  });

  it("needs the admin token on a dashboard reachable from the network, and the plane's bearer token", async () => {
    await expect(lab(running.url, { HOST: "0.0.0.0" }).scale({ service: "cart", replicas: 2 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const tokenless = createCaller(
      createContextFor({ ...config, TELEMETRY_URL: nowhere, SUPERVISOR_URL: nowhere, CONTROL_PLANE_URL: running.url }),
    ).lab;
    await expect(tokenless.stopLoad()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await tokenless.snapshot()).unavailable).toMatch(/bearer token/);
  });
});

describe("lab deploys", () => {
  it("runs a canary at its weight beside the old replicas, then promotes it", async () => {
    const started = await lab().deploy({ service: "cart", flavour: "good", strategy: { kind: "canary", weight: 20 } });
    expect(started).toMatchObject({ state: "canary", from: "1.0.0", to: "1.1.0", weight: 20, strategy: "canary" });
    expect((await service("cart")).instances.map((i) => [i.name, i.version, i.weight])).toEqual([
      ["cart-1", "1.0.0", 80],
      ["cart-2", "1.1.0", 20],
    ]);
    expect(await lab().setCanaryWeight({ service: "cart", weight: 50 })).toMatchObject({ weight: 50 });
    running.plane.tick(2, () => 0.3);
    const { snapshot } = await lab().snapshot();
    expect(snapshot!.services.find((s) => s.service === "cart")?.deployment?.calls).toEqual({ ok: 40, failed: 0 });
    const promoted = await lab().promote({ service: "cart" });
    expect(promoted).toMatchObject({ state: "done", reason: "promoted", weight: 100 });
    const cart = await service("cart");
    expect(cart.version).toBe("1.1.0");
    expect(cart.instances.map((i) => i.version)).toEqual(["1.1.0"]);
  });

  it("rolls a canary that answers errors back by itself once its error rate passes the threshold", async () => {
    await lab().deploy({ service: "user", flavour: "errors", strategy: { kind: "canary", weight: 50, rollbackAbove: 0.2 } });
    let draw = 0;
    // Every call goes to the canary (the first draw), and every other one fails (the second).
    running.plane.tick(2, () => [0.1, 0.1, 0.1, 0.9][draw++ % 4]!);
    const user = await service("user");
    expect(user.deployment).toMatchObject({ state: "rolled-back", reason: "error rate 50 % above 20 %" });
    expect(user.instances.map((i) => i.version)).toEqual(["1.0.0"]);
  });

  it("rolls over one replica at a time, and lists the deploy, newest first", async () => {
    const done = await lab().deploy({ service: "product", strategy: { kind: "rolling" } });
    expect(done).toMatchObject({ state: "done", from: "1.0.0", to: "1.1.0" });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt);
    const { snapshot } = await lab().snapshot();
    expect(snapshot!.deployments[0]).toMatchObject({ service: "product", strategy: "rolling" });
    const back = await lab().rollBack({ service: "product" });
    expect(back).toMatchObject({ state: "rolled-back", from: "1.1.0", to: "1.0.0" });
    expect((await service("product")).version).toBe("1.0.0");
  });
});

describe("lab faults, scenarios and load", () => {
  it("sets faults on a service and on an edge, lists them and clears each", async () => {
    const slow = await lab().setFault({ target: { kind: "edge", caller: "order", callee: "payment" }, latencyMs: 300 });
    await lab().setFault({ target: { kind: "service", service: "inventory" }, errorRate: 0.2 });
    expect(describeFault(slow)).toBe("+300 ms");
    expect((await lab().snapshot()).snapshot!.faults.map(describeFault)).toEqual(["+300 ms", "20 % errors"]);
    expect((await lab().clearFault({ id: slow.id })).map(describeFault)).toEqual(["20 % errors"]);
    expect(await lab().clearFaults()).toEqual([]);
  });

  it("applies a scenario's faults and load as one and clears them as one", async () => {
    const applied = await lab().applyScenario({ name: "black-friday" });
    expect(applied.scenarios.find((s) => s.name === "black-friday")?.active).toBe(true);
    expect(applied.faults.map(describeFault)).toEqual(["5 ms CPU a call, 4 at once"]);
    expect(applied.load).toMatchObject({ running: true, settings: { rate: 30 } });
    const cleared = await lab().clearScenario({ name: "black-friday" });
    expect(cleared.faults).toEqual([]);
    expect(cleared.load.running).toBe(false);
  });

  it("starts the load generator with its settings and reports its journeys", async () => {
    const status = await lab().startLoad({ rate: 10, mix: { browse: 1, search: 0, cart: 0, signUp: 0, checkout: 0 } });
    expect(status).toMatchObject({ running: true, settings: { rate: 10, declineShare: 0.1 } });
    running.plane.tick(1);
    const { snapshot } = await lab().snapshot();
    expect(snapshot!.load.recent.perSecond).toBe(10);
    expect(snapshot!.load.byJourney.browse.started).toBe(10);
    expect((await lab().stopLoad()).running).toBe(false);
    await expect(
      lab().startLoad({ rate: 51, mix: { browse: 1, search: 0, cart: 0, signUp: 0, checkout: 0 } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
