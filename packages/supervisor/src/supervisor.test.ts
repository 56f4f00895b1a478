import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StateChange } from "./managed-process";
import type { ProcessSpec } from "./process-spec";
import { Supervisor } from "./supervisor";
import { fakeSpec, isAlive, recordedEvents, tempDir, until } from "./test-fixtures/fake-stack";

const fastBackoff = { initialMs: 20, maxMs: 80, stableMs: 60_000 };
let running: Supervisor[] = [];
let dirs: string[] = [];

function supervise(specs: ProcessSpec[], changes: string[] = [], stopTimeoutMs = 2_000): Supervisor {
  const supervisor = new Supervisor(specs, {
    mode: "microservices",
    backoff: fastBackoff,
    stopTimeoutMs,
    onStateChange: (change: StateChange) => changes.push(`${change.process.name} ${change.state}`),
  });
  running.push(supervisor);
  return supervisor;
}

function dir(label: string): string {
  const created = tempDir(label);
  dirs.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(running.map((supervisor) => supervisor.stopAll()));
  running = [];
  for (const created of dirs) rmSync(created, { recursive: true, force: true });
  dirs = [];
});

function stateOf(supervisor: Supervisor, name: string) {
  const info = supervisor.list().find((process) => process.name === name);
  if (!info) throw new Error(`no process ${name}`);
  return info;
}

describe("Supervisor", () => {
  it("starts a process only once the services it depends on are ready", async () => {
    const work = dir("order");
    const changes: string[] = [];
    // Listed dependent-first, and the dependency is slow to become ready: order must come from dependsOn.
    const web = await fakeSpec("web", work, { dependsOn: ["api"] });
    const api = await fakeSpec("api", work, { env: { FAKE_READY_DELAY_MS: "300" } });
    const supervisor = supervise([web, api], changes);

    await supervisor.startAll();

    expect(changes.indexOf("web starting")).toBeGreaterThan(changes.indexOf("api ready"));
    expect(recordedEvents(work)).toEqual(["start api", "start web"]);
    expect(supervisor.list().map((process) => process.state)).toEqual(["ready", "ready"]);
  });

  it("reports ready only when /readyz answers, and fails at the readiness deadline", async () => {
    const work = dir("ready");
    const slow = await fakeSpec("slow", work, { env: { FAKE_READY_DELAY_MS: "400" } });
    const supervisor = supervise([slow]);
    await supervisor.startAll();
    const response = await fetch(slow.readyUrl);
    expect(response.status).toBe(200);

    const never = await fakeSpec("never", work, { env: { FAKE_READY_DELAY_MS: "600000" }, readyTimeoutMs: 500 });
    await expect(supervise([never]).startAll()).rejects.toThrow(/never was not ready within 0\.5 s; see .*never\.log/);
  });

  it("restarts a process that crashed, with a new pid, and counts the restart", async () => {
    const work = dir("crash");
    const changes: string[] = [];
    const supervisor = supervise([await fakeSpec("api", work)], changes);
    await supervisor.startAll();
    const firstPid = stateOf(supervisor, "api").pid!;

    process.kill(firstPid, "SIGKILL");

    await until("the restart", () => stateOf(supervisor, "api").state === "ready" && stateOf(supervisor, "api").pid !== firstPid);
    expect(stateOf(supervisor, "api").restarts).toBe(1);
    expect(changes).toEqual(["api starting", "api ready", "api crashed", "api backoff", "api starting", "api ready"]);
  });

  it("kills a process on request with SIGKILL: no SIGTERM, a crash, a restart with backoff", async () => {
    const work = dir("kill");
    const changes: string[] = [];
    const supervisor = supervise([await fakeSpec("api", work)], changes);
    await supervisor.startAll();
    const lookup = supervisor.lookup("api");
    if (!lookup.found) throw new Error("api not found");
    const firstPid = lookup.process.pid!;

    await lookup.process.kill();

    expect(isAlive(firstPid)).toBe(false);
    expect(stateOf(supervisor, "api").state).toBe("backoff");
    await until("the restart", () => stateOf(supervisor, "api").state === "ready");
    expect(stateOf(supervisor, "api")).toMatchObject({ restarts: 1 });
    expect(stateOf(supervisor, "api").pid).not.toBe(firstPid);
    expect(changes).toEqual(["api starting", "api ready", "api crashed", "api backoff", "api starting", "api ready"]);
    // SIGKILL cannot be caught: the process had no chance to run its shutdown.
    expect(recordedEvents(work)).toEqual(["start api", "start api"]);
  });

  it("finds a service by its name when its processes have other names (after a rolling deploy)", async () => {
    const work = dir("renamed");
    const second = { ...(await fakeSpec("cart-2", work)), service: "cart", replica: 2 };
    const third = { ...(await fakeSpec("cart-3", work)), service: "cart", replica: 3 };
    const supervisor = supervise([second, third]);
    const byService = supervisor.lookup("cart");
    expect(byService.found && byService.replicas.map((process) => process.name)).toEqual(["cart-2", "cart-3"]);
    const byName = supervisor.lookup("cart-3");
    expect(byName.found && byName.replicas.map((process) => process.name)).toEqual(["cart-3"]);
    expect(supervisor.lookup("carts")).toMatchObject({ found: false, reason: "unknown" });
  });

  it("refuses to kill a process that is not running", async () => {
    const work = dir("kill-stopped");
    const supervisor = supervise([await fakeSpec("api", work)]);
    const lookup = supervisor.lookup("api");
    if (!lookup.found) throw new Error("api not found");
    await expect(lookup.process.kill()).rejects.toThrow("api is stopped, so there is no running process to kill");
  });

  it("keeps restarting a crash loop with backoff until the process comes up", async () => {
    const work = dir("loop");
    const marker = path.join(work, "healthy");
    const supervisor = supervise([await fakeSpec("flaky", work, { env: { FAKE_CRASH_UNTIL_FILE: marker } })]);
    const started = supervisor.startAll();

    await until("three restarts", () => stateOf(supervisor, "flaky").restarts >= 3);
    writeFileSync(marker, "now it works");
    await started;
    expect(stateOf(supervisor, "flaky").state).toBe("ready");
    expect(recordedEvents(work).filter((event) => event === "crash flaky").length).toBeGreaterThanOrEqual(3);
  });

  it("does not restart a process that exits with a configuration error", async () => {
    const work = dir("config");
    const supervisor = supervise([
      await fakeSpec("misconfigured", work, { env: { FAKE_CRASH_ALWAYS: "1", FAKE_EXIT_CODE: "78" } }),
    ]);
    await expect(supervisor.startAll()).rejects.toThrow(/invalid configuration/);
    expect(stateOf(supervisor, "misconfigured")).toMatchObject({ state: "crashed", restarts: 0 });
  });

  it("treats a stop as intentional: no crash, no restart", async () => {
    const work = dir("stop");
    const changes: string[] = [];
    const supervisor = supervise([await fakeSpec("api", work)], changes);
    await supervisor.startAll();
    const lookup = supervisor.lookup("api");
    if (!lookup.found) throw new Error("api not found");

    await lookup.process.stop();

    expect(stateOf(supervisor, "api")).toMatchObject({ state: "stopped", pid: null, restarts: 0 });
    expect(changes).not.toContain("api crashed");
  });

  it("stops everything in reverse dependency order, and kills what ignores SIGTERM", async () => {
    const work = dir("shutdown");
    const changes: string[] = [];
    const db = await fakeSpec("db", work);
    const api = await fakeSpec("api", work, { dependsOn: ["db"] });
    const stubborn = await fakeSpec("stubborn", work, { dependsOn: ["api"], env: { FAKE_IGNORE_SIGTERM: "1" } });
    const supervisor = supervise([db, api, stubborn], changes, 300);
    await supervisor.startAll();
    const pids = supervisor.list().map((process) => process.pid!);

    await supervisor.stopAll();

    expect(recordedEvents(work).filter((event) => event.startsWith("sigterm"))).toEqual([
      "sigterm stubborn",
      "sigterm api",
      "sigterm db",
    ]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(supervisor.list().map((process) => process.state)).toEqual(["stopped", "stopped", "stopped"]);
    expect(changes).not.toContain("stubborn crashed");
  });
});
