import { defaultBackoff, type BackoffPolicy } from "./backoff";
import { ManagedProcess, type StateChange } from "./managed-process";
import type { ProcessInfo, ProcessSpec, StackMode } from "./process-spec";

export interface SupervisorOptions {
  readonly mode: StackMode;
  readonly backoff?: BackoffPolicy;
  readonly stopTimeoutMs?: number;
  readonly onStateChange?: (change: StateChange) => void;
  readonly onOutput?: (process: ManagedProcess, line: string) => void;
}

/** Why a process name cannot be acted on; the control API turns it into a TRPCError. */
export type LookupResult =
  | { readonly found: true; readonly process: ManagedProcess; readonly replicas: readonly ManagedProcess[] }
  | { readonly found: false; readonly reason: "unknown"; readonly known: readonly string[] }
  | { readonly found: false; readonly reason: "hosted"; readonly host: string };

/**
 * Runs a stack of processes: starts each once the services it depends on are ready (independent
 * ones in parallel), stops them in reverse order, and gives the control API its handles.
 */
export class Supervisor {
  readonly mode: StackMode;
  /** The stack's processes; the control plane adds replicas and removes them once stopped. */
  private processes: readonly ManagedProcess[] = [];
  private readonly listeners = new Set<(change: StateChange) => void>();
  /** Set by stopAll: a start still waiting for its dependencies must not launch during shutdown. */
  private stoppingAll = false;

  constructor(
    specs: readonly ProcessSpec[],
    private readonly options: SupervisorOptions,
  ) {
    this.mode = options.mode;
    if (options.onStateChange) this.listeners.add(options.onStateChange);
    for (const spec of specs) this.add(spec);
    for (const spec of specs) {
      for (const dependency of spec.dependsOn) {
        if (this.providersOf(dependency).length === 0)
          throw new Error(`${spec.name} depends on "${dependency}", which no process provides`);
      }
    }
  }

  /** Takes a new process into the stack (stopped until started): a replica, a new version. */
  add(spec: ProcessSpec): ManagedProcess {
    if (this.stoppingAll) throw new Error(`${spec.name} was not added: the stack is stopping`);
    if (this.processes.some((process) => process.name === spec.name)) throw new Error(`Two processes are named "${spec.name}"`);
    const { options } = this;
    const process = new ManagedProcess(spec, {
      mode: options.mode,
      backoff: options.backoff ?? defaultBackoff,
      stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
    process.onStateChange((change) => {
      for (const listener of this.listeners) listener(change);
    });
    this.processes = [...this.processes, process];
    return process;
  }

  /** Forgets a stopped process (a replica scaled away): it leaves the list. */
  remove(process: ManagedProcess): void {
    if (process.state !== "stopped") throw new Error(`${process.name} is ${process.state}: stop it before removing it`);
    this.processes = this.processes.filter((candidate) => candidate !== process);
  }

  /** Hears every state change of every process, including those added later. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The processes the supervisor runs now, in the order they were added. */
  all(): readonly ManagedProcess[] {
    return this.processes;
  }

  list(): ProcessInfo[] {
    return this.processes.map((process) => process.info());
  }

  /**
   * A process by its name, or a service by its name: after a rolling deploy `cart` runs as
   * `cart-2`, and "stop cart" still means the cart service (`replicas` is every process of it).
   */
  lookup(name: string): LookupResult {
    const process = this.processes.find((candidate) => candidate.name === name);
    if (process) return { found: true, process, replicas: [process] };
    const replicas = this.processes.filter((candidate) => candidate.spec.service === name && candidate.spec.kind === "service");
    if (replicas[0]) return { found: true, process: replicas[0], replicas };
    const host = this.processes.find((candidate) => candidate.spec.hosts.includes(name));
    if (host) return { found: false, reason: "hosted", host: host.name };
    return { found: false, reason: "unknown", known: this.processes.map((candidate) => candidate.name) };
  }

  /** Processes that serve a service: its replicas, or the monolith hosting it. */
  private providersOf(service: string): ManagedProcess[] {
    return this.processes.filter((process) => process.spec.service === service || process.spec.hosts.includes(service));
  }

  /** Starts every process in dependency order; resolves when all are ready. */
  async startAll(): Promise<void> {
    this.stoppingAll = false;
    const started = new Map<ManagedProcess, Promise<void>>();
    const startWithDependencies = (process: ManagedProcess, path: readonly string[]): Promise<void> => {
      if (path.includes(process.name)) throw new Error(`Dependency cycle: ${[...path, process.name].join(" -> ")}`);
      let promise = started.get(process);
      if (!promise) {
        const dependencies = process.spec.dependsOn.flatMap((service) => this.providersOf(service));
        promise = Promise.all(dependencies.map((dependency) => startWithDependencies(dependency, [...path, process.name]))).then(
          () =>
            this.stoppingAll
              ? Promise.reject(new Error(`${process.name} was not started: the stack is stopping`))
              : process.start(),
        );
        started.set(process, promise);
      }
      return promise;
    };
    const all = this.processes.map((process) => startWithDependencies(process, []));
    // Wait for every start to settle so that no start is left running unobserved, then report the first failure.
    const results = await Promise.allSettled(all);
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  /** Stops every process, dependents before what they depend on. */
  async stopAll(): Promise<void> {
    this.stoppingAll = true;
    for (const process of this.stoppingOrder()) await process.stop();
  }

  /** Reverse start order: a process comes before every process it depends on. */
  private stoppingOrder(): ManagedProcess[] {
    const ordered: ManagedProcess[] = [];
    const visiting = new Set<ManagedProcess>();
    const visit = (process: ManagedProcess): void => {
      if (ordered.includes(process) || visiting.has(process)) return;
      visiting.add(process);
      for (const dependency of process.spec.dependsOn.flatMap((service) => this.providersOf(service))) visit(dependency);
      ordered.push(process);
    };
    for (const process of this.processes) visit(process);
    return ordered.reverse();
  }

  /** For the supervisor's own exit: nothing may outlive it. */
  killAllNow(): void {
    for (const process of this.processes) process.killNow();
  }
}
