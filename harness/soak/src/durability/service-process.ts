/**
 * Real service processes for the durability tests: the built `dist/main.js` of a service, on a
 * free port, on a database migrated with the service's own migrations, signalled like the
 * supervisor signals it. A database outlives its process, so a test can kill one and start
 * another on the same file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { freePort } from "@microshop/supervisor/ports";
import { services, serviceUrlsEnvName, type ServiceName } from "@microshop/topology";
import { findRepoRoot } from "../config";

export const serviceDir = (service: ServiceName) => path.join(findRepoRoot(), services[service].folder);

export interface ServiceProcess {
  readonly service: ServiceName;
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
}

/** One service's database and port, kept across the processes a test starts on it. */
export class ServiceSlot {
  private constructor(
    readonly service: ServiceName,
    readonly database: TestDatabase,
    readonly port: number,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  static async create(service: ServiceName, env: Record<string, string> = {}): Promise<ServiceSlot> {
    return new ServiceSlot(service, await createTestDatabase(serviceDir(service), `soak-${service}`), await freePort(), env);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get file(): string {
    return this.database.url.slice("file:".length);
  }

  /** `<NAME>_SERVICE_URLS` for whoever calls this service. */
  get address(): Record<string, string> {
    return { [serviceUrlsEnvName(this.service)]: `${this.url}/trpc` };
  }

  /** Starts the built service and resolves once `/readyz` answers 200. `port`: a further replica's, on the same database. */
  async start(extraEnv: Record<string, string> = {}, port: number = this.port): Promise<ServiceProcess> {
    const url = `http://127.0.0.1:${port}`;
    // Durability, not authentication: processes run as a service alone in development does, without
    // service keys, so the test can call them as plainly as they call each other.
    const {
      SERVICE_TOKEN_SECRET: _secret,
      SERVICE_TRUSTED_KEYS: _trusted,
      SERVICE_SIGNING_KEY: _key,
      ...inherited
    } = process.env;
    const child = spawn(process.execPath, ["dist/main.js"], {
      cwd: serviceDir(this.service),
      env: {
        ...inherited,
        NODE_ENV: "development",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: this.database.url,
        LOG_LEVEL: "warn",
        OTEL_SDK_DISABLED: "true",
        ...this.env,
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
    const exited = once(child, "exit").then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    const running: ServiceProcess = { service: this.service, url, child, exited, signal: (signal) => child.kill(signal) };
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${this.service} exited before it was ready:\n${stderr}`);
      try {
        const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return running;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    child.kill("SIGKILL");
    throw new Error(`${this.service} was not ready within 30 s:\n${stderr}`);
  }

  remove(): void {
    this.database.remove();
  }
}

/** SIGKILL, and wait until the process is gone: nothing of it runs on the way out. */
export async function killHard(process: ServiceProcess): Promise<void> {
  process.signal("SIGKILL");
  await process.exited;
}

/** Polls `check` until it returns a value (not undefined) or the bound passes. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}
