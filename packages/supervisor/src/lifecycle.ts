/**
 * The life of one supervised process as a pure function: `next(state, event, context)` returns the new
 * state and the effects to carry out, as data. `ManagedProcess` carries them out and feeds back what the
 * world answers (a child's exit, a readiness result, a timer), so every rule below is tested without
 * spawning anything, and replicas or rolling deploys become states and events here.
 *
 *   from              event                     to                  effects
 *   stopped, crashed  start                     starting            announce, migrate
 *   backoff           start                     starting            cancel restart timer, announce, migrate
 *   starting          start                     starting            none: the caller waits for ready
 *   ready             start                     ready               resolve starts
 *   stopping          start                     stopping            none: starts again once it exited
 *   starting          migrated                  starting            spawn
 *   starting          migrationFailed           backoff             as a crash (below)
 *   starting          spawned                   starting            probe readiness
 *   starting          probed, ready             ready               announce, resolve starts
 *   starting          probed, deadline passed   starting            SIGKILL (its exit reads "not ready within ...")
 *   starting, ready   kill                      (same)              cancel probe, SIGKILL (its exit reads "killed ... on request")
 *   starting, ready   exited                    backoff             cancel probe, announce crashed and backoff, restart timer, resolve exits
 *   starting, ready   exited with code 78       crashed             cancel probe, announce, reject starts (restarting cannot help), resolve exits
 *   backoff           timer: restart            starting            count the restart, announce, migrate
 *   starting, ready   stop, a child running     stopping            reject starts, announce, cancel probe, SIGTERM, force-kill timer
 *   starting          stop, still migrating     stopped             reject starts, announce, resolve exits
 *   backoff           stop                      stopped             cancel restart timer, reject starts, announce, resolve exits
 *   crashed           stop                      stopped             announce, resolve exits
 *   stopped           stop                      stopped             resolve exits
 *   stopping          stop                      stopping            reject starts, forget a start asked meanwhile
 *   stopping          timer: forceKill          stopping            SIGKILL
 *   stopping          exited                    stopped             cancel force-kill timer, announce, resolve exits; then as start if asked meanwhile
 *
 * A request that cannot be honoured is refused with a message for the person who made it: `kill` with
 * no child running is the only one. Any other event that does not fit the state, or that belongs to an
 * older attempt (a probe answering after a stop, the migration of an abandoned launch), is late news of
 * a race, not a mistake: the state comes back unchanged, with no effects.
 *
 * An intentional stop is never a crash. `crashes` counts crashes in a row for the backoff delay and
 * starts again from one after the process stayed ready for the policy's `stableMs`. Hand-written
 * rather than a state-machine library: the table is small, and plain unions let the compiler check
 * what each state carries.
 */
import { EXIT_CONFIG } from "@microshop/service-runtime/config";
import { backoffDelay, type BackoffPolicy } from "./backoff";
import type { ProcessState } from "./process-spec";

/** What the machine knows of its process: names for its messages, and its time budgets. */
export interface LifecycleContext {
  readonly name: string;
  readonly url: string;
  readonly logFile: string;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly backoff: BackoffPolicy;
}

/** The current attempt's child, from the moment its databases are migrated and it is spawned. */
export interface Child {
  /** Null only between the spawn effect and the `spawned` event that reports it. */
  readonly pid: number | null;
  readonly startedAt: number;
  /** Set when the supervisor kills the child itself: the crash to report instead of "killed by SIGKILL". */
  readonly killReason: string | null;
}

interface Counters {
  /** Bumped by every launch: events of an older launch are late news. */
  readonly attempt: number;
  /** Automatic restarts after crashes. */
  readonly restarts: number;
  /** Crashes in a row, for the backoff delay. */
  readonly crashes: number;
}

export type Lifecycle = Counters &
  (
    | { readonly phase: "stopped" | "crashed" | "backoff" }
    | { readonly phase: "starting"; readonly launchedAt: number; readonly notes: readonly string[]; readonly child: Child | null }
    | { readonly phase: "ready"; readonly child: Child; readonly readyAt: number }
    | { readonly phase: "stopping"; readonly child: Child; readonly thenStart: boolean }
  );

export type Timer = "restart" | "forceKill";

/** Requests (start, stop, kill), then news from the world, each tagged with the attempt it belongs to. */
export type LifecycleEvent =
  | { readonly type: "start"; readonly at: number }
  | { readonly type: "stop" }
  | { readonly type: "kill" }
  | { readonly type: "migrated"; readonly attempt: number; readonly notes: readonly string[]; readonly at: number }
  | { readonly type: "migrationFailed"; readonly attempt: number; readonly message: string }
  | { readonly type: "spawned"; readonly attempt: number; readonly pid: number | null }
  | { readonly type: "probed"; readonly attempt: number; readonly ready: boolean; readonly at: number }
  | { readonly type: "exited"; readonly attempt: number; readonly at: number; readonly exit: Exit }
  | { readonly type: "timer"; readonly attempt: number; readonly timer: Timer; readonly at: number };

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why the child could not be spawned at all. */
  readonly error: string | null;
}

/** Effects on promises: "starts" are those of `start()`, "exits" those of `stop()` and `kill()`. */
export type LifecycleEffect =
  | { readonly type: "announce"; readonly state: ProcessState; readonly detail: string }
  | { readonly type: "migrate" | "spawn" | "probe"; readonly attempt: number }
  | { readonly type: "signal"; readonly signal: "SIGTERM" | "SIGKILL" }
  | { readonly type: "startTimer"; readonly timer: Timer; readonly attempt: number; readonly ms: number }
  | { readonly type: "cancel"; readonly pending: "probe" | Timer }
  | { readonly type: "resolve"; readonly waiters: "starts" | "exits" }
  | { readonly type: "rejectStarts"; readonly message: string };

export interface Step {
  readonly state: Lifecycle;
  readonly effects: readonly LifecycleEffect[];
}

export interface Refusal {
  readonly refused: string;
}

export const initialLifecycle: Lifecycle = { phase: "stopped", attempt: 0, restarts: 0, crashes: 0 };

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function describeExit({ code, signal, error }: Exit): string {
  if (error !== null) return `could not start: ${error}`;
  if (signal) return `killed by ${signal}`;
  if (code === EXIT_CONFIG) return `exit code ${code}: invalid configuration`;
  return `exit code ${code ?? "?"}`;
}

export function childOf(state: Lifecycle): Child | null {
  return "child" in state ? state.child : null;
}

/** Whether the migrations of `attempt` are still wanted: a stop or a newer launch abandons them. */
export function wantsMigration(state: Lifecycle, attempt: number): boolean {
  return state.phase === "starting" && state.attempt === attempt && state.child === null;
}

export function next(state: Lifecycle, event: LifecycleEvent, context: LifecycleContext): Step | Refusal {
  if (event.type === "start") return start(state, event.at);
  if (event.type === "stop") return stop(state, context);
  if (event.type === "kill") return kill(state, context);
  if (event.attempt !== state.attempt) return stay(state);
  switch (event.type) {
    case "migrated":
      if (state.phase !== "starting" || state.child) return stay(state);
      return {
        state: { ...state, notes: event.notes, child: { pid: null, startedAt: event.at, killReason: null } },
        effects: [{ type: "spawn", attempt: state.attempt }],
      };
    case "migrationFailed":
      if (state.phase !== "starting" || state.child) return stay(state);
      return crash(state, `migration failed: ${event.message.split("\n", 1)[0]}`, { fatal: false, stable: false }, context);
    case "spawned":
      if (state.phase !== "starting" || !state.child || state.child.pid !== null) return stay(state);
      return {
        state: { ...state, child: { ...state.child, pid: event.pid } },
        effects: [{ type: "probe", attempt: state.attempt }],
      };
    case "probed":
      return probed(state, event.ready, event.at, context);
    case "exited":
      return exited(state, event.exit, event.at, context);
    case "timer":
      if (event.timer === "restart" && state.phase === "backoff") return launch(state, event.at, state.restarts + 1);
      if (event.timer === "forceKill" && state.phase === "stopping") return { state, effects: [sigkill] };
      return stay(state);
  }
}

const sigkill: LifecycleEffect = { type: "signal", signal: "SIGKILL" };

function stay(state: Lifecycle): Step {
  return { state, effects: [] };
}

function announce(state: ProcessState, detail = ""): LifecycleEffect {
  return { type: "announce", state, detail };
}

function counters({ attempt, restarts, crashes }: Counters): Counters {
  return { attempt, restarts, crashes };
}

/** Only a starting process has a readiness probe to cancel. */
function cancelProbe(state: Lifecycle): LifecycleEffect[] {
  return state.phase === "starting" ? [{ type: "cancel", pending: "probe" }] : [];
}

function launch(from: Counters, at: number, restarts = from.restarts, before: readonly LifecycleEffect[] = []): Step {
  const attempt = from.attempt + 1;
  return {
    state: { phase: "starting", attempt, restarts, crashes: from.crashes, launchedAt: at, notes: [], child: null },
    effects: [...before, announce("starting"), { type: "migrate", attempt }],
  };
}

function start(state: Lifecycle, at: number): Step {
  switch (state.phase) {
    case "stopped":
    case "crashed":
      return launch(state, at);
    case "backoff":
      return launch(state, at, state.restarts, [{ type: "cancel", pending: "restart" }]);
    case "starting":
      return stay(state);
    case "ready":
      return { state, effects: [{ type: "resolve", waiters: "starts" }] };
    case "stopping":
      return stay({ ...state, thenStart: true });
  }
}

function stop(state: Lifecycle, context: LifecycleContext): Step {
  const rejectStarts: LifecycleEffect = { type: "rejectStarts", message: `${context.name} was stopped before it became ready` };
  const stopped = (before: readonly LifecycleEffect[]): Step => ({
    state: { ...counters(state), phase: "stopped" },
    effects: [...before, announce("stopped"), { type: "resolve", waiters: "exits" }],
  });
  switch (state.phase) {
    case "stopped":
      return { state, effects: [{ type: "resolve", waiters: "exits" }] };
    case "crashed":
      return stopped([]);
    case "backoff":
      return stopped([{ type: "cancel", pending: "restart" }, rejectStarts]);
    case "stopping":
      return { state: { ...state, thenStart: false }, effects: [rejectStarts] };
    case "starting":
    case "ready": {
      const { child } = state;
      if (!child) return stopped([rejectStarts]);
      return {
        state: { ...counters(state), phase: "stopping", child, thenStart: false },
        effects: [
          rejectStarts,
          announce("stopping", `pid ${child.pid}`),
          ...cancelProbe(state),
          { type: "signal", signal: "SIGTERM" },
          { type: "startTimer", timer: "forceKill", attempt: state.attempt, ms: context.stopTimeoutMs },
        ],
      };
    }
  }
}

function kill(state: Lifecycle, context: LifecycleContext): Step | Refusal {
  if ((state.phase !== "starting" && state.phase !== "ready") || !state.child) {
    return { refused: `${context.name} is ${state.phase}, so there is no running process to kill` };
  }
  return {
    state: { ...state, child: { ...state.child, killReason: "killed with SIGKILL on request" } },
    effects: [...cancelProbe(state), sigkill],
  };
}

function probed(state: Lifecycle, ready: boolean, at: number, context: LifecycleContext): Step {
  // A child the supervisor is already killing gets no second verdict.
  if (state.phase !== "starting" || !state.child || state.child.killReason !== null) return stay(state);
  const { child } = state;
  if (!ready) {
    return {
      state: { ...state, child: { ...child, killReason: `not ready within ${formatSeconds(context.readyTimeoutMs)}` } },
      effects: [sigkill],
    };
  }
  const took = [formatSeconds(at - state.launchedAt), ...state.notes].join(", ");
  return {
    state: { ...counters(state), phase: "ready", child, readyAt: at },
    effects: [announce("ready", `${context.url.padEnd(22)} pid ${child.pid}  (${took})`), { type: "resolve", waiters: "starts" }],
  };
}

function exited(state: Lifecycle, exit: Exit, at: number, context: LifecycleContext): Step {
  if (state.phase === "stopping") {
    const effects: LifecycleEffect[] = [
      { type: "cancel", pending: "forceKill" },
      announce("stopped", describeExit(exit)),
      { type: "resolve", waiters: "exits" },
    ];
    return state.thenStart
      ? launch(state, at, state.restarts, effects)
      : { state: { ...counters(state), phase: "stopped" }, effects };
  }
  if ((state.phase !== "starting" && state.phase !== "ready") || !state.child) return stay(state);
  const stable = state.phase === "ready" && at - state.readyAt >= context.backoff.stableMs;
  const fatal = exit.code === EXIT_CONFIG;
  const crashed = crash(state, state.child.killReason ?? describeExit(exit), { fatal, stable }, context);
  return { state: crashed.state, effects: [...cancelProbe(state), ...crashed.effects, { type: "resolve", waiters: "exits" }] };
}

function crash(state: Counters, detail: string, how: { fatal: boolean; stable: boolean }, context: LifecycleContext): Step {
  const crashes = how.stable ? 1 : state.crashes + 1;
  const announced = announce("crashed", `${detail}  (log: ${context.logFile})`);
  if (how.fatal) {
    return {
      state: { ...counters(state), crashes, phase: "crashed" },
      effects: [announced, { type: "rejectStarts", message: `${context.name} ${detail}; see ${context.logFile}` }],
    };
  }
  const ms = backoffDelay(context.backoff, crashes);
  return {
    state: { ...counters(state), crashes, phase: "backoff" },
    effects: [
      announced,
      announce("backoff", `restart in ${formatSeconds(ms)}`),
      { type: "startTimer", timer: "restart", attempt: state.attempt, ms },
    ],
  };
}
