import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, createWriteStream, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { BackoffPolicy } from "./backoff";
import {
  childOf,
  formatSeconds,
  initialLifecycle,
  next,
  wantsMigration,
  type Exit,
  type LifecycleEffect,
  type LifecycleEvent,
} from "./lifecycle";
import { inheritedEnv } from "./config";
import { migrateDatabase } from "./migrations";
import type { ProcessInfo, ProcessSpec, ProcessState, StackMode } from "./process-spec";
import { waitForReady } from "./readiness";

// The CLI prints durations the way state changes do.
export { formatSeconds };

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

/**
 * One supervised child process. What happens when is decided by `next` in `lifecycle.ts`, whose table
 * is the state diagram; this class carries out the effects (spawn, signal, probe, timers, promises)
 * and feeds back what it sees. Children get their own process group so that a stop reaches whatever
 * they spawned themselves (`next`, `tsx watch`).
 */
export class ManagedProcess {
  private lifecycle = initialLifecycle;
  private readonly context;
  private child: ChildProcess | undefined;
  /** How to cancel the readiness probe and the timers in flight. */
  private readonly pending = new Map<"probe" | "restart" | "forceKill", () => void>();
  private readonly waiters = { starts: new Set<Waiter>(), exits: new Set<Waiter>() };
  private readonly listeners = new Set<(change: StateChange) => void>();

  constructor(
    readonly spec: ProcessSpec,
    private readonly options: ManagedProcessOptions,
  ) {
    const { name, url, logFile, readyTimeoutMs } = spec;
    this.context = { name, url, logFile, readyTimeoutMs, stopTimeoutMs: options.stopTimeoutMs, backoff: options.backoff };
  }

  get name(): string {
    return this.spec.name;
  }

  get state(): ProcessState {
    return this.lifecycle.phase;
  }

  get pid(): number | null {
    return childOf(this.lifecycle)?.pid ?? null;
  }

  info(): ProcessInfo {
    const { spec } = this;
    const child = childOf(this.lifecycle);
    return {
      name: spec.name,
      service: spec.service,
      replica: spec.replica,
      kind: spec.kind,
      mode: this.options.mode,
      state: this.lifecycle.phase,
      pid: child?.pid ?? null,
      url: spec.url,
      port: spec.port,
      restarts: this.lifecycle.restarts,
      startedAt: child ? new Date(child.startedAt) : null,
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
    const { readyTimeoutMs, logFile } = this.spec;
    let deadline: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      this.waiters.starts.add(waiter);
      deadline = setTimeout(() => {
        this.waiters.starts.delete(waiter);
        reject(new Error(`${this.name} was not ready within ${formatSeconds(readyTimeoutMs)}; see ${logFile}`));
      }, readyTimeoutMs);
    });
    this.dispatch({ type: "start", at: Date.now() });
    return ready.finally(() => clearTimeout(deadline));
  }

  /** Stops the process (SIGTERM to its group, SIGKILL after the timeout) and resolves once it exited. */
  stop(): Promise<void> {
    const exited = this.nextExit();
    this.dispatch({ type: "stop" });
    return exited;
  }

  /**
   * SIGKILL to the process group, as a crash would end it: nothing can run on the way out (no
   * drain, no shutdown hook), and the supervisor restarts it with backoff. Resolves once the process
   * has exited (state `backoff`); rejects when there is nothing running to kill.
   */
  kill(): Promise<void> {
    const refused = this.dispatch({ type: "kill" });
    // The exit is reported on a later turn of the event loop, never during the dispatch.
    return refused === undefined ? this.nextExit() : Promise.reject(new Error(refused));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Last resort when the supervisor itself exits: no waiting, no state changes. */
  killNow(): void {
    this.signal("SIGKILL");
  }

  private nextExit(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.exits.add({ resolve, reject }));
  }

  /** Feeds one event to the machine and carries out its effects; returns a refusal's message. */
  private dispatch(event: LifecycleEvent): string | undefined {
    const step = next(this.lifecycle, event, this.context);
    if ("refused" in step) return step.refused;
    this.lifecycle = step.state;
    for (const effect of step.effects) this.perform(effect);
    return undefined;
  }

  private perform(effect: LifecycleEffect): void {
    switch (effect.type) {
      case "announce":
        for (const listener of this.listeners) listener({ process: this, state: effect.state, detail: effect.detail });
        return;
      case "migrate":
        void this.migrate(effect.attempt);
        return;
      case "spawn":
        this.spawnChild(effect.attempt);
        return;
      case "probe": {
        const { attempt } = effect;
        const probe = new AbortController();
        this.pending.set("probe", () => probe.abort());
        waitForReady(this.spec.readyUrl, { timeoutMs: this.spec.readyTimeoutMs, signal: probe.signal }).then(
          (ready) => this.dispatch({ type: "probed", attempt, ready, at: Date.now() }),
          () => undefined, // cancelled by an exit or a stop, which is what counts
        );
        return;
      }
      case "signal":
        this.signal(effect.signal);
        return;
      case "startTimer": {
        const { timer, attempt } = effect;
        const handle = setTimeout(() => this.dispatch({ type: "timer", timer, attempt, at: Date.now() }), effect.ms);
        this.pending.set(timer, () => clearTimeout(handle));
        return;
      }
      case "cancel":
        this.pending.get(effect.pending)?.();
        this.pending.delete(effect.pending);
        return;
      case "resolve":
      case "rejectStarts": {
        const kind = effect.type === "resolve" ? effect.waiters : "starts";
        const waiters = [...this.waiters[kind]];
        this.waiters[kind].clear();
        for (const waiter of waiters) {
          if (effect.type === "resolve") waiter.resolve();
          else waiter.reject(new Error(effect.message));
        }
        return;
      }
    }
  }

  private signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private async migrate(attempt: number): Promise<void> {
    const { spec } = this;
    mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const notes: string[] = [];
    try {
      for (const target of spec.migrations) {
        if (!wantsMigration(this.lifecycle, attempt)) return;
        if ((await migrateDatabase(target)) === "applied") notes.push(`migrated ${target.service}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      appendFileSync(spec.logFile, `\n[supervisor] ${message}\n`);
      this.dispatch({ type: "migrationFailed", attempt, message });
      return;
    }
    this.dispatch({ type: "migrated", attempt, notes, at: Date.now() });
  }

  private spawnChild(attempt: number): void {
    const { spec } = this;
    appendFileSync(spec.logFile, `\n[supervisor] ${new Date().toISOString()} starting: ${spec.command} ${spec.args.join(" ")}\n`);
    let reported = false;
    const exited = (exit: Exit) => {
      if (reported) return;
      reported = true;
      this.child = undefined;
      this.dispatch({ type: "exited", attempt, at: Date.now(), exit });
    };
    try {
      this.child = this.spawnWithOutput();
    } catch (error) {
      exited({ code: null, signal: null, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.child.once("exit", (code, signal) => exited({ code, signal, error: null }));
    this.child.once("error", (error) => exited({ code: null, signal: null, error: error.message }));
    this.dispatch({ type: "spawned", attempt, pid: this.child.pid ?? null });
  }

  private spawnWithOutput(): ChildProcess {
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
}
