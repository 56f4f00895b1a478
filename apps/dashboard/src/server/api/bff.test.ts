import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTrace, toOtlpJson } from "@microshop/otlp-fixtures";
import { startPretendSupervisor, type RunningPretendSupervisor } from "~/testing/pretend-supervisor";
import { postOtlpJson, startTelemetry, type RunningTelemetry } from "~/testing/telemetry-server";
import { createCaller } from "./root";
import { createContextFor } from "./trpc";

// Budgets, not assertions: the fake sources answer at once, but a loaded 2-core machine (every
// package's tests at the same time) can hold a reply for seconds. Unreachable sources fail at once.
const config = { READ_TIMEOUT_MS: 15_000, STATUS_TIMEOUT_MS: 15_000, CONTROL_TIMEOUT_MS: 15_000 };
// A port nothing listens on: a source that is down.
const nowhere = "http://127.0.0.1:9/trpc";
const declined = "Your card was declined.";

let telemetry: RunningTelemetry;
let supervisor: RunningPretendSupervisor;

type Trace = ReturnType<typeof syntheticTrace>;
const isCheckout = (trace: Trace) => trace.some((span) => span.name === "checkout.place");
const failed = (trace: Trace) => trace.some((span) => span.error !== null);

/** A checkout, declined or not: random traffic may hold none, and the filters need some of each. */
function checkout(declineRate: 0 | 1): Trace {
  for (;;) {
    const trace = syntheticTrace(declineRate);
    if (isCheckout(trace)) return trace;
  }
}

/** Posts the traces to the real telemetry service's OTLP receiver, as one export ending now. */
async function feed(traces: readonly Trace[]): Promise<void> {
  await postOtlpJson(telemetry.otlpUrl, toOtlpJson(traces.map((spans) => ({ spans, endMs: Date.now() }))));
}

// What the service was fed before the tests, to check its answers against. Exactly 2 declined
// checkouts out of at least 12: order's error rate stays under the 20 % that draws it degraded.
const initial: Trace[] = [
  ...Array.from({ length: 188 }, () => syntheticTrace(0)),
  ...Array.from({ length: 2 }, () => checkout(1)),
  ...Array.from({ length: 10 }, () => checkout(0)),
];

beforeAll(async () => {
  telemetry = await startTelemetry();
  supervisor = await startPretendSupervisor({ delayMs: 60 });
  await feed(initial);
});
afterAll(async () => {
  await telemetry.close();
  await supervisor.close();
});

describe("map.get", () => {
  it("merges topology, processes and traffic into one map", async () => {
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }));
    const map = await caller.map.get({ windowSeconds: 60 });
    expect(map.mode).toBe("microservices");
    expect(map.sources).toEqual({ telemetry: null, supervisor: null });
    const ids = map.nodes.map((node) => node.id);
    for (const id of ["browser", "storefront", "order", "order/sqlite", "payment", "payment/sqlite"]) expect(ids).toContain(id);
    expect(map.nodes.find((node) => node.id === "order")).toMatchObject({ status: "up", processName: "order" });
    expect(map.edges.find((edge) => edge.id === "browser->storefront")?.metrics?.requests).toBe(initial.length);
    expect(map.totals?.requests).toBeGreaterThan(initial.length);
  });

  it("keeps the map, with unknown statuses and a reason, when the supervisor is down", async () => {
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: nowhere }));
    const map = await caller.map.get({ windowSeconds: 60 });
    expect(map.sources.supervisor).toMatch(/supervisor is not reachable/i);
    expect(map.modeKnown).toBe(false);
    expect(map.nodes.find((node) => node.id === "order")?.status).toBe("unknown");
    expect(map.edges.find((edge) => edge.id === "storefront->order")?.metrics?.requests).toBeGreaterThan(0);
  });

  it("keeps the map, without traffic, when the telemetry service is down", async () => {
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: nowhere, SUPERVISOR_URL: supervisor.url }));
    const map = await caller.map.get({ windowSeconds: 60 });
    expect(map.sources.telemetry).toMatch(/telemetry service is not reachable/i);
    expect(map.totals).toBeNull();
    expect(map.nodes.find((node) => node.id === "payment")?.status).toBe("up");
    await expect(caller.traces.list({ limit: 5 })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  });

  it("refuses a window outside 5 s to 1 h", async () => {
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }));
    await expect(caller.map.get({ windowSeconds: 1 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("inspect and traces", () => {
  const caller = () =>
    createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }));

  it("gives a node's operations and recent errors, and null for a node without spans", async () => {
    const storefront = await caller().inspect.node({ id: "storefront", windowSeconds: 60 });
    expect(storefront?.operations.length).toBeGreaterThan(0);
    // A declined charge fails on payment's server span: its status message is the node's error.
    const payment = await caller().inspect.node({ id: "payment", windowSeconds: 60 });
    expect(payment?.recentErrors.length).toBeGreaterThan(0);
    expect(payment?.recentErrors[0]).toMatchObject({ name: "charges.create", message: declined });
    expect(await caller().inspect.node({ id: "nobody", windowSeconds: 60 })).toBeNull();
    await expect(caller().inspect.node({ id: "no spaces or !", windowSeconds: 60 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("lists an edge's latest requests and opens their traces", async () => {
    const requests = await caller().inspect.edge({ source: "browser", target: "storefront", limit: 5 });
    expect(requests).toHaveLength(5);
    expect(requests.every((request) => request.source === "browser" && request.target === "storefront")).toBe(true);
    const trace = await caller().traces.get({ traceId: requests[0]!.traceId });
    expect(trace.spans.some((span) => span.service === "browser")).toBe(true);
  });

  it("filters traces by status, operation, duration and service", async () => {
    const ids = (traces: readonly Trace[]) => traces.map((trace) => trace[0]!.traceId).sort();
    // The limit is above what was fed, so each filter's answer is exactly the matching traces.
    const errors = await caller().traces.list({ limit: 200, status: "error" });
    expect(errors.map((trace) => trace.traceId).sort()).toEqual(ids(initial.filter(failed)));
    const ok = await caller().traces.list({ limit: 200, status: "ok" });
    expect(ok).toHaveLength(initial.length - errors.length);
    const checkouts = await caller().traces.list({ limit: 200, operation: "checkout" });
    expect(checkouts.map((trace) => trace.traceId).sort()).toEqual(ids(initial.filter(isCheckout)));
    const all = await caller().traces.list({ limit: 200 });
    const slow = await caller().traces.list({ limit: 200, minDurationMs: 20 });
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.every((trace) => trace.durationMs >= 20)).toBe(true);
    expect(slow).toHaveLength(all.filter((trace) => trace.durationMs >= 20).length);
    const payments = await caller().traces.list({ limit: 200, service: "payment" });
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.every((trace) => trace.services.includes("payment"))).toBe(true);
    await expect(caller().traces.get({ traceId: "f".repeat(32) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("processes", () => {
  it("on a dashboard reachable from the network, need the admin token before anything reaches the supervisor", async () => {
    const deployed = { ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url, HOST: "0.0.0.0" };
    await expect(createCaller(createContextFor(deployed)).processes.stop({ name: "payment" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const guarded = createContextFor({ ...deployed, DASHBOARD_ADMIN_TOKEN: "a-long-enough-admin-token" });
    await expect(createCaller(guarded).processes.restart({ name: "payment" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const admin = createCaller({ ...guarded, presentedAdminToken: "a-long-enough-admin-token" });
    expect((await admin.processes.restart({ name: "payment" })).state).toBe("ready");
  });

  it("stops and starts a process through the supervisor, and passes its refusals on", async () => {
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }));
    expect((await caller.processes.stop({ name: "payment" })).state).toBe("stopped");
    expect((await caller.map.get({ windowSeconds: 60 })).nodes.find((node) => node.id === "payment")?.status).toBe("down");
    expect((await caller.processes.start({ name: "payment" })).state).toBe("ready");
    await expect(caller.processes.stop({ name: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.processes.stop({ name: "nope" })).rejects.toThrow(/No process named "nope"/);
    await expect(caller.processes.stop({ name: "Bad Name" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("says what to do when the supervisor is not running", async () => {
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: nowhere }));
    await expect(caller.processes.restart({ name: "payment" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    await expect(caller.processes.restart({ name: "payment" })).rejects.toThrow(/pnpm start/);
  });
});

describe("live.requests", () => {
  it("relays the telemetry service's live stream over SSE", async () => {
    const controller = new AbortController();
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }), {
      signal: controller.signal,
    });
    const stream = await caller.live.requests();
    // The service only publishes while someone listens: keep requests coming until a batch arrives.
    const feeder = setInterval(() => void feed(Array.from({ length: 3 }, () => syntheticTrace())).catch(() => undefined), 100);
    try {
      for await (const batch of stream) {
        expect(batch.events.length).toBeGreaterThan(0);
        const first = batch.events[0]!;
        expect([typeof first.source, typeof first.target, typeof first.durationMs]).toEqual(["string", "string", "number"]);
        break;
      }
    } finally {
      clearInterval(feeder);
      controller.abort();
    }
  }, 10_000);
});
