import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, createWriteStream, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { EXIT_CONFIG } from "@microshop/service-runtime/config";
import { backoffDelay, type BackoffPolicy } from "./backoff";
import { migrateDatabase } from "./migrations";
import type { ProcessInfo, ProcessSpec, ProcessState, StackMode } from "./process-spec";
import { waitForReady } from "./readiness";

export interface StateChange {
  readonly process: ManagedProcess;
  readonly state: ProcessState;
  /** One human line: the URL when ready, the exit code when crashed, the delay in backoff. */
  readonly detail: string;
}

export interface ManagedProcessOptions {
  readonly mode: StackMode;
  readonly backoff: BackoffPolicy;
  /** After SIGTERM, how long a process may take to exit before it gets SIGKILL. */
  readonly stopTimeoutMs: number;
  /** When set, child output is also handed over line by line (`--verbose`). */
  readonly onOutput?: (process: ManagedProcess, line: string) => void;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  if (code === EXIT_CONFIG) return `exit code ${code}: invalid configuration`;
  return `exit code ${code ?? "?"}`;
}

/**
 * One supervised child process and its life cycle:
 * stopped -> starting -> ready -> (crash) crashed -> backoff -> starting ... and stopping -> stopped.
 * An intentional stop is never a crash. Children get their own process group so that a stop reaches
 * whatever they spawned themselves (`next`, `tsx watch`).
 */
/**
 * The supervisor's environment as a child inherits it: without the stack's root secret or any key,
 * so a process holds only the credentials its spec hands it.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const { SERVICE_TOKEN_SECRET: _root, SERVICE_SIGNING_KEY: _key, SUPERVISOR_CONTROL_TOKEN: _control, ...rest } = process.env;
  return rest;
}

export class ManagedProcess {
  private currentState: ProcessState = "stopped";
  private child: ChildProcess | undefined;
  /** Bumped by every launch and stop: asynchronous steps of an older launch see it and give up. */
  private attempt = 0;
  private wanted = false;
  private restartCount = 0;
  private consecutiveCrashes = 0;
  private startedAt: Date | null = null;
  private readyAt: number | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private readinessAbort: AbortController | undefined;
  /** Set when the supervisor kills the child itself (readiness deadline): the crash reason to report. */
  private killReason: string | undefined;
  private readyWaiters = new Set<Waiter>();
  private exitWaiters: (() => void)[] = [];
  /** Resolved on any exit of the current child, a crash included (kill waits on it). */
  private anyExitWaiters: (() => void)[] = [];
  private readonly listeners = new Set<(change: StateChange) => void>();

  constructor(
    readonly spec: ProcessSpec,
    private readonly options: ManagedProcessOptions,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get state(): ProcessState {
    return this.currentState;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  info(): ProcessInfo {
    const { spec } = this;
    return {
      name: spec.name,
      service: spec.service,
      replica: spec.replica,
      kind: spec.kind,
      mode: this.options.mode,
      state: this.currentState,
      pid: this.pid,
      url: spec.url,
      port: spec.port,
      restarts: this.restartCount,
      startedAt: this.child ? this.startedAt : null,
      hosts: spec.hosts,
      logFile: spec.logFile,
    };
  }

  onStateChange(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Wants the process running and resolves once it is ready. Crashes on the way are restarted with
   * backoff; it rejects at the readiness deadline, on a configuration error (exit 78, restarting
   * cannot help) or when the process is stopped meanwhile.
   */
  start(): Promise<void> {
    if (this.currentState === "ready") return Promise.resolve();
    const ready = this.waitUntilReady(this.spec.readyTimeoutMs);
    this.wanted = true;
    // "stopping": the exit handler launches again because the process is wanted.
    if (this.currentState === "stopped" || this.currentState === "crashed" || this.currentState === "backoff") this.launch();
    return ready;
  }

  /** Stops the process (SIGTERM to its group, SIGKILL after the timeout) and resolves once it exited. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.attempt += 1;
    this.clearBackoff();
    this.rejectReadyWaiters(new Error(`${this.name} was stopped before it became ready`));
    const child = this.child;
    if (!child) {
      if (this.currentState !== "stopped") this.setState("stopped", "");
      return;
    }
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (this.currentState !== "stopping") {
      this.setState("stopping", `pid ${child.pid}`);
      this.readinessAbort?.abort();
      this.signal(child, "SIGTERM");
      this.killTimer = setTimeout(() => this.signal(child, "SIGKILL"), this.options.stopTimeoutMs);
    }
    await exited;
  }

  /**
   * SIGKILL to the process group, as a crash would end it: nothing can run on the way out (no
   * drain, no shutdown hook), and the supervisor restarts it with backoff because it is still
   * wanted. Resolves once the process has exited (state `backoff`, or `crashed` if it is not
   * wanted); rejects when there is nothing running to kill.
   */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.currentState === "stopping") {
      throw new Error(`${this.name} is ${this.currentState}, so there is no running process to kill`);
    }
    const exited = new Promise<void>((resolve) => this.anyExitWaiters.push(resolve));
    this.killReason = "killed with SIGKILL on request";
    this.readinessAbort?.abort();
    this.signal(child, "SIGKILL");
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Last resort when the supervisor itself exits: no waiting, no state changes. */
  killNow(): void {
    if (this.child) this.signal(this.child, "SIGKILL");
  }

  private waitUntilReady(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters.delete(waiter);
        reject(new Error(`${this.name} was not ready within ${formatSeconds(timeoutMs)}; see ${this.spec.logFile}`));
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.readyWaiters.add(waiter);
    });
  }

  private rejectReadyWaiters(error: Error): void {
    const waiters = [...this.readyWaiters];
    this.readyWaiters.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  private setState(state: ProcessState, detail: string): void {
    this.currentState = state;
    for (const listener of this.listeners) listener({ process: this, state, detail });
    if (state === "ready") {
      const waiters = [...this.readyWaiters];
      this.readyWaiters.clear();
      for (const waiter of waiters) waiter.resolve();
    }
  }

  private clearBackoff(): void {
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private launch(): void {
    const attempt = ++this.attempt;
    this.clearBackoff();
    this.killReason = undefined;
    this.setState("starting", "");
    void this.runLaunch(attempt, performance.now());
  }

  private async runLaunch(attempt: number, launchedAt: number): Promise<void> {
    const { spec } = this;
    mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const notes: string[] = [];
    try {
      for (const target of spec.migrations) {
        if ((await migrateDatabase(target)) === "applied") notes.push(`migrated ${target.service}`);
        if (attempt !== this.attempt) return;
      }
    } catch (error) {
      if (attempt !== this.attempt) return;
      const message = error instanceof Error ? error.message : String(error);
      appendFileSync(spec.logFile, `\n[supervisor] ${message}\n`);
      this.handleCrash(`migration failed: ${message.split("\n", 1)[0]}`, false);
      return;
    }

    appendFileSync(spec.logFile, `\n[supervisor] ${new Date().toISOString()} starting: ${spec.command} ${spec.args.join(" ")}\n`);
    const child = this.spawnChild();
    this.child = child;
    this.startedAt = new Date();
    const readinessAbort = new AbortController();
    this.readinessAbort = readinessAbort;

    let exited = false;
    const onExit = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (exited) return;
      exited = true;
      readinessAbort.abort();
      this.handleExit(child, spawnError ? `could not start: ${spawnError.message}` : describeExit(code, signal), code);
    };
    child.once("exit", (code, signal) => onExit(code, signal));
    child.once("error", (error) => onExit(null, null, error));

    let ready: boolean;
    try {
      ready = await waitForReady(spec.readyUrl, { timeoutMs: spec.readyTimeoutMs, signal: readinessAbort.signal });
    } catch {
      return; // exited or stopped meanwhile; the exit handler reports it
    }
    if (attempt !== this.attempt || this.child !== child) return;
    if (ready) {
      this.readyAt = Date.now();
      const elapsed = [formatSeconds(performance.now() - launchedAt), ...notes].join(", ");
      this.setState("ready", `${spec.url.padEnd(22)} pid ${child.pid}  (${elapsed})`);
    } else {
      this.killReason = `not ready within ${formatSeconds(spec.readyTimeoutMs)}`;
      this.signal(child, "SIGKILL");
    }
  }

  private spawnChild(): ChildProcess {
    const { spec, options } = this;
    const env = { ...inheritedEnv(), ...spec.env };
    if (!options.onOutput) {
      // The child writes straight into its log file: its output never passes through (or waits on) us.
      const fd = openSync(spec.logFile, "a");
      try {
        return spawn(spec.command, spec.args, { cwd: spec.cwd, env, detached: true, stdio: ["ignore", fd, fd] });
      } finally {
        closeSync(fd);
      }
    }
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const file = createWriteStream(spec.logFile, { flags: "a" });
    let open = 2;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on("line", (line) => {
        file.write(`${line}\n`);
        options.onOutput?.(this, line);
      });
      lines.on("close", () => {
        open -= 1;
        if (open === 0) file.end();
      });
    }
    return child;
  }

  private handleExit(child: ChildProcess, detail: string, code: number | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    clearTimeout(this.killTimer);
    const anyExitWaiters = this.anyExitWaiters;
    this.anyExitWaiters = [];
    if (this.currentState === "stopping") {
      this.setState("stopped", detail);
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      for (const resolve of [...waiters, ...anyExitWaiters]) resolve();
      if (this.wanted) this.launch();
      return;
    }
    this.handleCrash(this.killReason ?? detail, code === EXIT_CONFIG);
    for (const resolve of anyExitWaiters) resolve();
  }

  private handleCrash(detail: string, fatal: boolean): void {
    const stable = this.readyAt !== undefined && Date.now() - this.readyAt >= this.options.backoff.stableMs;
    this.consecutiveCrashes = stable ? 1 : this.consecutiveCrashes + 1;
    this.readyAt = undefined;
    this.setState("crashed", `${detail}  (log: ${this.spec.logFile})`);
    if (fatal || !this.wanted) {
      this.rejectReadyWaiters(new Error(`${this.name} ${detail}; see ${this.spec.logFile}`));
      return;
    }
    const delay = backoffDelay(this.options.backoff, this.consecutiveCrashes);
    this.setState("backoff", `restart in ${formatSeconds(delay)}`);
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      this.restartCount += 1;
      this.launch();
    }, delay);
  }
}
