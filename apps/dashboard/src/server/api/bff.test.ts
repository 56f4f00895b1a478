import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTrace, toOtlpJson } from "~/bench/synthetic-traffic";
import { spansFromOtlpJson } from "~/testing/contract-telemetry";
import { startContractTelemetry, type RunningContractTelemetry } from "~/testing/contract-telemetry-server";
import { startPretendSupervisor, type RunningPretendSupervisor } from "~/testing/pretend-supervisor";
import { createCaller } from "./root";
import { createContextFor } from "./trpc";

const config = { READ_TIMEOUT_MS: 2_000, CONTROL_TIMEOUT_MS: 5_000 };
// A port nothing listens on: a source that is down.
const nowhere = "http://127.0.0.1:9/trpc";

let telemetry: RunningContractTelemetry;
let supervisor: RunningPretendSupervisor;

function feed(traces: number, declineRate = 0.1): void {
  const batch = Array.from({ length: traces }, () => ({ spans: syntheticTrace(declineRate), endMs: Date.now() }));
  telemetry.store.ingest(spansFromOtlpJson(toOtlpJson(batch)));
}

beforeAll(async () => {
  telemetry = await startContractTelemetry();
  supervisor = await startPretendSupervisor({ delayMs: 60 });
  feed(200);
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
    expect(map.edges.find((edge) => edge.id === "browser->storefront")?.metrics?.requests).toBe(200);
    expect(map.totals?.requests).toBeGreaterThan(200);
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
  const caller = () => createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }));

  it("gives a node's operations, and null for a node without spans", async () => {
    const order = await caller().inspect.node({ id: "storefront", windowSeconds: 60 });
    expect(order?.operations.length).toBeGreaterThan(0);
    expect(await caller().inspect.node({ id: "nobody", windowSeconds: 60 })).toBeNull();
    await expect(caller().inspect.node({ id: "no spaces or !", windowSeconds: 60 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lists an edge's latest requests and opens their traces", async () => {
    const requests = await caller().inspect.edge({ source: "browser", target: "storefront", limit: 5 });
    expect(requests).toHaveLength(5);
    const trace = await caller().traces.get({ traceId: requests[0]!.traceId });
    expect(trace.spans.some((span) => span.service === "browser")).toBe(true);
  });

  it("filters traces by status, operation and duration", async () => {
    const failed = await caller().traces.list({ limit: 50, status: "error" });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((trace) => trace.error)).toBe(true);
    const checkouts = await caller().traces.list({ limit: 50, operation: "checkout" });
    expect(checkouts.every((trace) => trace.rootName.includes("checkout"))).toBe(true);
    const slow = await caller().traces.list({ limit: 50, minDurationMs: 20 });
    expect(slow.every((trace) => trace.durationMs >= 20)).toBe(true);
    await expect(caller().traces.get({ traceId: "f".repeat(32) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("processes", () => {
  it("outside local development, need the admin token before anything reaches the supervisor", async () => {
    const deployed = { ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url, NODE_ENV: "production" as const };
    await expect(createCaller(createContextFor(deployed)).processes.stop({ name: "payment" })).rejects.toMatchObject({ code: "FORBIDDEN" });
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
    const caller = createCaller(createContextFor({ ...config, TELEMETRY_URL: telemetry.url, SUPERVISOR_URL: supervisor.url }), { signal: controller.signal });
    const stream = await caller.live.requests();
    const feeder = setInterval(() => feed(3), 100);
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
