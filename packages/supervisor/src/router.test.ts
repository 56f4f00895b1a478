import { rmSync } from "node:fs";
import { request } from "node:http";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { RunningServer } from "@microshop/service-runtime/server";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlApi } from "./control-api";
import type { SupervisorRouter } from "./router";
import { Supervisor } from "./supervisor";
import { fakeSpec, isAlive, tempDir, until } from "./test-fixtures/fake-stack";

let work: string;
let supervisor: Supervisor;
let api: RunningServer;
let client: ReturnType<typeof createTRPCClient<SupervisorRouter>>;
const token = "a-control-token-for-this-test-only";

beforeAll(async () => {
  work = tempDir("api");
  const inventory = await fakeSpec("inventory", work);
  // Stands in for the monolith: a process that hosts a service instead of being it.
  const monolith = { ...(await fakeSpec("monolith", work)), kind: "monolith" as const, hosts: ["catalog"] };
  supervisor = new Supervisor([inventory, monolith], { mode: "microservices", stopTimeoutMs: 2_000 });
  await supervisor.startAll();
  api = await startControlApi(supervisor, { host: "127.0.0.1", port: 0, token });
  client = createTRPCClient<SupervisorRouter>({
    links: [httpLink({ url: `${api.url}/trpc`, transformer, headers: { authorization: `Bearer ${token}` } })],
  });
});

afterAll(async () => {
  await api.close();
  await supervisor.stopAll();
  rmSync(work, { recursive: true, force: true });
});

describe("control API over HTTP", () => {
  it("lists every process with its state, pid and start time", async () => {
    const processes = await client.processes.list.query();
    expect(processes.map(({ name, kind, mode, state, restarts }) => ({ name, kind, mode, state, restarts }))).toEqual([
      { name: "inventory", kind: "service", mode: "microservices", state: "ready", restarts: 0 },
      { name: "monolith", kind: "monolith", mode: "microservices", state: "ready", restarts: 0 },
    ]);
    expect(processes[0]!.startedAt).toBeInstanceOf(Date);
    expect(isAlive(processes[0]!.pid!)).toBe(true);
  });

  it("stops, starts and restarts a process by name", async () => {
    const before = (await client.processes.list.query())[0]!;

    const stopped = await client.processes.stop.mutate({ name: "inventory" });
    expect(stopped).toMatchObject({ state: "stopped", pid: null });
    expect(isAlive(before.pid!)).toBe(false);

    const started = await client.processes.start.mutate({ name: "inventory" });
    expect(started.state).toBe("ready");
    expect(started.pid).not.toBe(before.pid);

    const restarted = await client.processes.restart.mutate({ name: "inventory" });
    expect(restarted.state).toBe("ready");
    expect(restarted.pid).not.toBe(started.pid);
    expect(isAlive(started.pid!)).toBe(false);
    // Asked for, so not counted as crashes.
    expect(restarted.restarts).toBe(0);
  });

  it("kills a process with SIGKILL, which the supervisor treats as a crash and restarts", async () => {
    const before = (await client.processes.list.query())[0]!;

    const killed = await client.processes.kill.mutate({ name: "inventory" });

    expect(killed).toMatchObject({ name: "inventory", state: "backoff", pid: null, killedPid: before.pid });
    expect(isAlive(before.pid!)).toBe(false);
    await until("inventory ready again", () => supervisor.list()[0]!.state === "ready");
    const after = (await client.processes.list.query())[0]!;
    expect(after.pid).not.toBe(before.pid);
    expect(after.restarts).toBe(before.restarts + 1);
  });

  it("refuses to kill a process that is not running (CONFLICT)", async () => {
    await client.processes.stop.mutate({ name: "inventory" });
    const error = await client.processes.kill.mutate({ name: "inventory" }).catch((caught: unknown) => caught);
    expect((error as TRPCClientError<SupervisorRouter>).data?.code).toBe("CONFLICT");
    expect((error as Error).message).toBe("inventory is stopped, so there is no running process to kill");
    expect((await client.processes.start.mutate({ name: "inventory" })).state).toBe("ready");
  });

  it("refuses unknown names and services hosted inside another process, saying why", async () => {
    const unknown = await client.processes.stop.mutate({ name: "payment" }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(TRPCClientError);
    expect((unknown as TRPCClientError<SupervisorRouter>).data?.code).toBe("NOT_FOUND");
    expect((unknown as Error).message).toBe('No process named "payment"; this stack runs inventory, monolith');

    await expect(client.processes.stop.mutate({ name: "catalog" })).rejects.toThrow(/runs inside the monolith process/);
    await expect(client.processes.start.mutate({ name: "Not A Name" })).rejects.toThrow(/lower-case letters/);
  });

  it("refuses a kill without its token with 401, and leaves the process running", async () => {
    const before = (await client.processes.list.query())[0]!;
    const bare = await fetch(`${api.url}/trpc/processes.kill`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { name: "inventory" } }),
    });
    expect(bare.status).toBe(401);
    const unlisted = await fetch(`${api.url}/trpc/processes.list`);
    expect(unlisted.status).toBe(401);
    expect(isAlive(before.pid!)).toBe(true);
  });

  it("refuses a request naming another Host with 403 (a page that rebinds its DNS name to this machine)", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${api.url}/trpc/processes.kill`,
        {
          method: "POST",
          headers: { host: "evil.example", "content-type": "application/json", authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify({ json: { name: "inventory" } }));
    });
    expect(status).toBe(403);
  });

  it("refuses a form posted from another site, and a form body however it comes", async () => {
    const before = (await client.processes.list.query())[0]!;
    const form = new URLSearchParams({ name: "inventory" });
    const crossSite = await fetch(`${api.url}/trpc/processes.kill`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: form,
    });
    expect(crossSite.status).toBe(403);
    const formWithToken = await fetch(`${api.url}/trpc/processes.kill`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(formWithToken.status).toBe(415);
    expect((await client.processes.list.query())[0]!.pid).toBe(before.pid);
  });
});
