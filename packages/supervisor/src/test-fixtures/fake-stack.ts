import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { waitBudgetMs } from "@microshop/build-config/vitest";
import { freePort } from "../ports";
import type { ProcessSpec } from "../process-spec";

const fakeService = path.join(import.meta.dirname, "fake-service.mjs");

export function tempDir(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `microshop-supervisor-${label}-`));
}

/** A spec running test-fixtures/fake-service.mjs; `env` switches on its misbehaviours. */
export async function fakeSpec(
  name: string,
  dir: string,
  options: { env?: Record<string, string>; dependsOn?: string[]; hosts?: string[]; readyTimeoutMs?: number } = {},
): Promise<ProcessSpec> {
  const port = await freePort();
  return {
    name,
    service: name,
    replica: 1,
    kind: "service",
    command: process.execPath,
    args: [fakeService],
    cwd: dir,
    env: { PORT: String(port), FAKE_NAME: name, FAKE_EVENTS_FILE: path.join(dir, "events.log"), ...options.env },
    port,
    url: `http://127.0.0.1:${port}`,
    readyUrl: `http://127.0.0.1:${port}/readyz`,
    readyTimeoutMs: options.readyTimeoutMs ?? waitBudgetMs,
    dependsOn: options.dependsOn ?? [],
    hosts: options.hosts ?? [],
    migrations: [],
    logFile: path.join(dir, "logs", `${name}.log`),
  };
}

/** What the fake processes recorded, in order: `start a 1234`, `sigterm b 1240`. */
export function recordedEvents(dir: string): string[] {
  const file = path.join(dir, "events.log");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.split(" ").slice(0, 2).join(" "));
}

/** Polls until `check` holds; throws with `what` when it never does. */
export async function until(what: string, check: () => boolean, timeoutMs = waitBudgetMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
