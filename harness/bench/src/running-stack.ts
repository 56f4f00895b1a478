/**
 * The whole stack started by the supervisor CLI (as `pnpm start` does) beside any other stack on
 * this machine, on ports shifted by an offset, kept running while a benchmark drives it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { supervisorNodeFlags, type NodeFlagProfile } from "@microshop/supervisor/node-flags";
import { ports, services, type ServiceName } from "@microshop/topology";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");

/** Where the benchmarks' stacks listen: `MICROSHOP_PORT_OFFSET` above the defaults (700 unless set). */
export const benchPortOffset = Number(process.env.MICROSHOP_PORT_OFFSET ?? 700);

export interface RunningStack {
  /** The supervisor's pid: every process of the stack is its child. */
  readonly pid: number;
  /** The stack's service secret: the benchmark's own calls to services are signed with it. */
  readonly serviceTokenSecret: string;
  readonly storefrontUrl: string;
  serviceUrl(name: ServiceName): string;
  readonly telemetryUrl: string;
  readonly dashboardUrl: string;
  /** The supervisor's control API (`/trpc`) and the lab's control plane (`/control/trpc`) under it. */
  readonly supervisorUrl: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly mode?: "microservices" | "monolith";
  readonly portOffset: number;
  /** Added to the supervisor's environment, which every process inherits (e.g. OTEL_SDK_DISABLED). */
  readonly env?: Record<string, string>;
  /** The Node that runs the supervisor, and so every process of the stack; default this one. */
  readonly execPath?: string;
  /** The Node flags of every process, the supervisor's own included (`MICROSHOP_NODE_FLAGS`); default `sized`, as `pnpm start`. */
  readonly nodeFlags?: NodeFlagProfile;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "microshop-bench-"));
  const offset = options.portOffset;
  const serviceTokenSecret = randomBytes(32).toString("hex");
  const nodeFlags = options.nodeFlags ?? "sized";
  const child: ChildProcess = spawn(
    options.execPath ?? process.execPath,
    [
      ...supervisorNodeFlags(nodeFlags),
      "packages/supervisor/dist/cli.js",
      "start",
      "--mode",
      options.mode ?? "microservices",
      "--data-dir",
      dataDir,
    ],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...options.env,
        MICROSHOP_NODE_FLAGS: nodeFlags,
        MICROSHOP_PORT_OFFSET: String(offset),
        SERVICE_TOKEN_SECRET: serviceTokenSecret,
      },
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the stack was not ready within 180 s:\n${output}`));
    }, 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/all ready in/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the supervisor exited (${code ?? "signal"}) before the stack was ready:\n${output}`));
    });
  });
  return {
    pid: child.pid!,
    serviceTokenSecret,
    storefrontUrl: `http://127.0.0.1:${ports.storefront + offset}`,
    serviceUrl: (name) => `http://127.0.0.1:${services[name].port + offset}/trpc`,
    telemetryUrl: `http://127.0.0.1:${ports.telemetry + offset}`,
    dashboardUrl: `http://127.0.0.1:${ports.dashboard + offset}`,
    supervisorUrl: `http://127.0.0.1:${ports.supervisor + offset}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Runs `work` with `concurrency` loops for `seconds`; counts completed and failed runs. */
export async function drive(
  seconds: number,
  concurrency: number,
  work: (worker: number) => Promise<void>,
): Promise<{ perSecond: number; done: number; failed: number }> {
  const until = performance.now() + seconds * 1_000;
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < until) {
        try {
          await work(worker);
          done += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  return { perSecond: done / seconds, done, failed };
}

/**
 * utime + stime of a process in ms (/proc/<pid>/stat, in clock ticks of 10 ms on Linux); 0 for no
 * pid or a process that is gone, so a restarted one shows up as a counter that went back.
 */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
