/**
 * The stack under test: the supervisor CLI exactly as `pnpm start` runs it (built code, fresh data
 * directory), on ports shifted by MICROSHOP_PORT_OFFSET, with a typed client of its control API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import type { ControlPlaneRouter } from "@microshop/lab/router";
import { deriveControlToken } from "@microshop/service-auth";
import type { ProcessInfo, SupervisorRouter } from "@microshop/supervisor/router";
import { ports } from "@microshop/topology";
import { transformer } from "@microshop/transformer";

export interface StackOptions {
  readonly repoRoot: string;
  readonly dataDir: string;
  readonly portOffset: number;
  /** Extra environment for every process (the supervisor hands its own to its children). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
  readonly onLine?: (line: string) => void;
}

export interface RunningStack {
  readonly storefrontUrl: string;
  readonly control: TRPCClient<SupervisorRouter>;
  /** The lab's control plane (scale, deploy, faults) behind the same token. */
  readonly plane: TRPCClient<ControlPlaneRouter>;
  /** SIGTERM to the supervisor (it stops every process in order), SIGKILL to all if it hangs. Idempotent. */
  stop(): Promise<void>;
}

const stopTimeoutMs = 40_000;

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const cli = path.join(options.repoRoot, "packages", "supervisor", "dist", "cli.js");
  // The stack's root secret is ours, so the control API's token (derived from it) is too.
  const rootSecret = randomBytes(32).toString("hex");
  const child = spawn(process.execPath, [cli, "start", "--data-dir", options.dataDir], {
    cwd: options.repoRoot,
    env: { ...process.env, ...options.env, MICROSHOP_PORT_OFFSET: String(options.portOffset), SERVICE_TOKEN_SECRET: rootSecret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const controlToken = deriveControlToken(rootSecret);
  const supervisorUrl = `http://127.0.0.1:${ports.supervisor + options.portOffset}`;
  const headers = { authorization: `Bearer ${controlToken}` };
  const control = createTRPCClient<SupervisorRouter>({
    links: [httpLink({ url: `${supervisorUrl}/trpc`, transformer, headers })],
  });
  const plane = createTRPCClient<ControlPlaneRouter>({
    links: [httpLink({ url: `${supervisorUrl}/control/trpc`, transformer, headers })],
  });
  const storefrontUrl = `http://127.0.0.1:${ports.storefront + options.portOffset}`;
  const output: string[] = [];
  let buffered = "";
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      output.push(line);
      if (output.length > 200) output.shift();
      options.onLine?.(line);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  // Children run in their own process groups: if the supervisor itself has to be killed, they are
  // killed by pid from the last list we saw, so no stray process keeps a port.
  let knownPids: number[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        knownPids = (await control.processes.list.query())
          .map((info: ProcessInfo) => info.pid)
          .filter((pid): pid is number => pid !== null);
      } catch {
        // the control API is already gone; use the pids seen before
      }
      const forced = await terminate(child, stopTimeoutMs);
      // Only after a forced end: a clean supervisor has stopped them all, and their pids may be reused.
      if (forced) for (const pid of knownPids) killGroup(pid);
    })();
    return stopping;
  };

  try {
    await waitForLine(child, output, /all ready in/, options.readyTimeoutMs ?? 240_000);
  } catch (error) {
    await stop();
    throw error;
  }
  knownPids = (await control.processes.list.query()).map((info) => info.pid).filter((pid): pid is number => pid !== null);
  return { storefrontUrl, control, plane, stop };
}

function waitForLine(child: ChildProcess, output: string[], pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`the stack was not ready within ${timeoutMs / 1000} s:\n${output.slice(-30).join("\n")}`)),
      timeoutMs,
    );
    const poll = setInterval(() => {
      if (output.some((line) => pattern.test(line))) done();
    }, 100);
    const onExit = (code: number | null) =>
      done(new Error(`the supervisor exited (code ${code}) before the stack was ready:\n${output.slice(-30).join("\n")}`));
    child.once("exit", onExit);
    function done(error?: Error): void {
      clearTimeout(timer);
      clearInterval(poll);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve();
    }
  });
}

/** SIGTERM, then SIGKILL after the timeout; true when it had to be killed (or had died on its own). */
async function terminate(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode !== 0;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const [code] = (await exited) as [number | null];
  clearTimeout(timer);
  return forced || code !== 0;
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
