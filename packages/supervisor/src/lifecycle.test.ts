import { describe, expect, it } from "vitest";
import { defaultBackoff } from "./backoff";
import {
  next,
  wantsMigration,
  type Child,
  type Lifecycle,
  type LifecycleContext,
  type LifecycleEvent,
  type Step,
} from "./lifecycle";

const context: LifecycleContext = {
  name: "api",
  url: "http://127.0.0.1:4001",
  logFile: "logs/api.log",
  readyTimeoutMs: 5_000,
  stopTimeoutMs: 10_000,
  backoff: defaultBackoff,
};

// Attempt 3, one restart so far, two crashes in a row: the next crash waits 2 s (0.5 s doubled twice).
const counters = { attempt: 3, restarts: 1, crashes: 2 };
const child: Child = { pid: 1234, startedAt: 1_000, killReason: null };

/** One of each state; `migrating` and `probing` are the two halves of "starting". */
const states = {
  stopped: { ...counters, phase: "stopped" },
  crashed: { ...counters, phase: "crashed" },
  backoff: { ...counters, phase: "backoff" },
  migrating: { ...counters, phase: "starting", launchedAt: 500, notes: [], child: null },
  probing: { ...counters, phase: "starting", launchedAt: 500, notes: ["migrated api"], child },
  ready: { ...counters, phase: "ready", child, readyAt: 2_000 },
  stopping: { ...counters, phase: "stopping", child, thenStart: false },
} satisfies Record<string, Lifecycle>;
type StateName = keyof typeof states;

const events = {
  start: { type: "start", at: 9_000 },
  stop: { type: "stop" },
  kill: { type: "kill" },
  migrated: { type: "migrated", attempt: 3, notes: ["migrated api"], at: 700 },
  migrationFailed: { type: "migrationFailed", attempt: 3, message: "P3009: failed migrations\nsee the log" },
  spawned: { type: "spawned", attempt: 3, pid: 1234 },
  probedReady: { type: "probed", attempt: 3, ready: true, at: 2_000 },
  probedTooLate: { type: "probed", attempt: 3, ready: false, at: 6_000 },
  exited: { type: "exited", attempt: 3, at: 5_000, exit: { code: 1, signal: null, error: null } },
  exitedConfig: { type: "exited", attempt: 3, at: 5_000, exit: { code: 78, signal: null, error: null } },
  restartTimer: { type: "timer", attempt: 3, timer: "restart", at: 9_000 },
  forceKillTimer: { type: "timer", attempt: 3, timer: "forceKill", at: 9_000 },
} satisfies Record<string, LifecycleEvent>;
type EventName = keyof typeof events;

function step(state: Lifecycle, event: LifecycleEvent): Step {
  const result = next(state, event, context);
  if ("refused" in result) throw new Error(`refused: ${result.refused}`);
  return result;
}

const launched = (restarts: number): Lifecycle => ({
  phase: "starting",
  attempt: 4,
  restarts,
  crashes: 2,
  launchedAt: 9_000,
  notes: [],
  child: null,
});
const launch = [
  { type: "announce", state: "starting", detail: "" },
  { type: "migrate", attempt: 4 },
] as const;
const rejectStarts = { type: "rejectStarts", message: "api was stopped before it became ready" } as const;
const stopped = [
  { type: "announce", state: "stopped", detail: "" },
  { type: "resolve", waiters: "exits" },
] as const;
const crashedThenBackoff = (detail: string) =>
  [
    { type: "announce", state: "crashed", detail: `${detail}  (log: logs/api.log)` },
    { type: "announce", state: "backoff", detail: "restart in 2.0 s" },
    { type: "startTimer", timer: "restart", attempt: 3, ms: 2_000 },
  ] as const;
const crashedForGood = [
  { type: "announce", state: "crashed", detail: "exit code 78: invalid configuration  (log: logs/api.log)" },
  { type: "rejectStarts", message: "api exit code 78: invalid configuration; see logs/api.log" },
] as const;
const stopChild = [
  rejectStarts,
  { type: "announce", state: "stopping", detail: "pid 1234" },
  { type: "signal", signal: "SIGTERM" },
  { type: "startTimer", timer: "forceKill", attempt: 3, ms: 10_000 },
] as const;

/** Every allowed transition from the states above: the table in lifecycle.ts, row by row. */
const transitions: [StateName, EventName, Step][] = [
  ["stopped", "start", { state: launched(1), effects: launch }],
  ["crashed", "start", { state: launched(1), effects: launch }],
  ["backoff", "start", { state: launched(1), effects: [{ type: "cancel", pending: "restart" }, ...launch] }],
  ["migrating", "start", { state: states.migrating, effects: [] }],
  ["probing", "start", { state: states.probing, effects: [] }],
  ["ready", "start", { state: states.ready, effects: [{ type: "resolve", waiters: "starts" }] }],
  ["stopping", "start", { state: { ...states.stopping, thenStart: true }, effects: [] }],
  [
    "migrating",
    "migrated",
    {
      state: { ...states.migrating, notes: ["migrated api"], child: { pid: null, startedAt: 700, killReason: null } },
      effects: [{ type: "spawn", attempt: 3 }],
    },
  ],
  [
    "migrating",
    "migrationFailed",
    {
      state: { ...counters, crashes: 3, phase: "backoff" },
      effects: crashedThenBackoff("migration failed: P3009: failed migrations"),
    },
  ],
  [
    "probing",
    "probedReady",
    {
      state: { ...counters, phase: "ready", child, readyAt: 2_000 },
      effects: [
        { type: "announce", state: "ready", detail: "http://127.0.0.1:4001  pid 1234  (1.5 s, migrated api)" },
        { type: "resolve", waiters: "starts" },
      ],
    },
  ],
  [
    "probing",
    "probedTooLate",
    {
      state: { ...states.probing, child: { ...child, killReason: "not ready within 5.0 s" } },
      effects: [{ type: "signal", signal: "SIGKILL" }],
    },
  ],
  [
    "probing",
    "kill",
    {
      state: { ...states.probing, child: { ...child, killReason: "killed with SIGKILL on request" } },
      effects: [
        { type: "cancel", pending: "probe" },
        { type: "signal", signal: "SIGKILL" },
      ],
    },
  ],
  [
    "ready",
    "kill",
    {
      state: { ...states.ready, child: { ...child, killReason: "killed with SIGKILL on request" } },
      effects: [{ type: "signal", signal: "SIGKILL" }],
    },
  ],
  [
    "probing",
    "exited",
    {
      state: { ...counters, crashes: 3, phase: "backoff" },
      effects: [
        { type: "cancel", pending: "probe" },
        ...crashedThenBackoff("exit code 1"),
        { type: "resolve", waiters: "exits" },
      ],
    },
  ],
  [
    "ready",
    "exited",
    {
      state: { ...counters, crashes: 3, phase: "backoff" },
      effects: [...crashedThenBackoff("exit code 1"), { type: "resolve", waiters: "exits" }],
    },
  ],
  [
    "probing",
    "exitedConfig",
    {
      state: { ...counters, crashes: 3, phase: "crashed" },
      effects: [{ type: "cancel", pending: "probe" }, ...crashedForGood, { type: "resolve", waiters: "exits" }],
    },
  ],
  [
    "ready",
    "exitedConfig",
    { state: { ...counters, crashes: 3, phase: "crashed" }, effects: [...crashedForGood, { type: "resolve", waiters: "exits" }] },
  ],
  ["backoff", "restartTimer", { state: launched(2), effects: launch }],
  [
    "probing",
    "stop",
    {
      state: { ...counters, phase: "stopping", child, thenStart: false },
      effects: [...stopChild.slice(0, 2), { type: "cancel", pending: "probe" }, ...stopChild.slice(2)],
    },
  ],
  ["ready", "stop", { state: { ...counters, phase: "stopping", child, thenStart: false }, effects: stopChild }],
  ["migrating", "stop", { state: states.stopped, effects: [rejectStarts, ...stopped] }],
  ["backoff", "stop", { state: states.stopped, effects: [{ type: "cancel", pending: "restart" }, rejectStarts, ...stopped] }],
  ["crashed", "stop", { state: states.stopped, effects: stopped }],
  ["stopped", "stop", { state: states.stopped, effects: [{ type: "resolve", waiters: "exits" }] }],
  ["stopping", "stop", { state: states.stopping, effects: [rejectStarts] }],
  ["stopping", "forceKillTimer", { state: states.stopping, effects: [{ type: "signal", signal: "SIGKILL" }] }],
  [
    "stopping",
    "exited",
    {
      state: states.stopped,
      effects: [
        { type: "cancel", pending: "forceKill" },
        { type: "announce", state: "stopped", detail: "exit code 1" },
        { type: "resolve", waiters: "exits" },
      ],
    },
  ],
  [
    "stopping",
    "exitedConfig",
    {
      state: states.stopped,
      effects: [
        { type: "cancel", pending: "forceKill" },
        { type: "announce", state: "stopped", detail: "exit code 78: invalid configuration" },
        { type: "resolve", waiters: "exits" },
      ],
    },
  ],
];

describe("next", () => {
  it.each(transitions)("%s, on %s", (from, event, expected) => {
    expect(step(states[from], events[event])).toEqual(expected);
  });

  it("refuses every other event: kill with a message for the person, the rest as late news, unchanged", () => {
    const allowed = new Set(transitions.map(([from, event]) => `${from} ${event}`));
    const refusals: string[] = [];
    for (const [from, state] of Object.entries(states)) {
      for (const [name, event] of Object.entries(events)) {
        if (allowed.has(`${from} ${name}`)) continue;
        const result = next(state, event, context);
        if ("refused" in result) refusals.push(`${from}: ${result.refused}`);
        else expect(result, `${from}, on ${name}`).toEqual({ state, effects: [] });
      }
    }
    expect(refusals).toEqual([
      "stopped: api is stopped, so there is no running process to kill",
      "crashed: api is crashed, so there is no running process to kill",
      "backoff: api is backoff, so there is no running process to kill",
      "migrating: api is starting, so there is no running process to kill",
      "stopping: api is stopping, so there is no running process to kill",
    ]);
  });

  it("ignores what an older attempt reports: a probe, a migration or an exit after the process was relaunched", () => {
    for (const state of Object.values(states)) {
      for (const event of Object.values(events)) {
        if (!("attempt" in event)) continue;
        expect(next(state, { ...event, attempt: 2 }, context)).toEqual({ state, effects: [] });
      }
    }
  });
});

describe("next, through a process's life", () => {
  it("reports the pid once spawned, then probes readiness", () => {
    const spawning = step(states.migrating, events.migrated).state;
    expect(step(spawning, events.spawned)).toEqual({
      state: { ...states.migrating, notes: ["migrated api"], child: { pid: 1234, startedAt: 700, killReason: null } },
      effects: [{ type: "probe", attempt: 3 }],
    });
  });

  it("reports why it killed a child itself, rather than the SIGKILL, and restarts it", () => {
    const killed = step(states.probing, events.kill).state;
    const exit = { type: "exited", attempt: 3, at: 5_000, exit: { code: null, signal: "SIGKILL", error: null } } as const;
    expect(step(killed, exit).effects).toEqual([
      { type: "cancel", pending: "probe" },
      ...crashedThenBackoff("killed with SIGKILL on request"),
      { type: "resolve", waiters: "exits" },
    ]);
    const tooSlow = step(states.probing, events.probedTooLate).state;
    expect(step(tooSlow, exit).effects).toContainEqual({
      type: "announce",
      state: "crashed",
      detail: "not ready within 5.0 s  (log: logs/api.log)",
    });
  });

  it("gives a child being killed no second verdict from its probe", () => {
    const killed = step(states.probing, events.kill).state;
    expect(step(killed, events.probedReady)).toEqual({ state: killed, effects: [] });
  });

  it("starts the backoff from half a second again after a crash that followed a stable minute", () => {
    const afterAStableMinute = { ...events.exited, at: states.ready.readyAt + defaultBackoff.stableMs };
    expect(step(states.ready, afterAStableMinute)).toEqual({
      state: { ...counters, crashes: 1, phase: "backoff" },
      effects: [
        { type: "announce", state: "crashed", detail: "exit code 1  (log: logs/api.log)" },
        { type: "announce", state: "backoff", detail: "restart in 0.5 s" },
        { type: "startTimer", timer: "restart", attempt: 3, ms: 500 },
        { type: "resolve", waiters: "exits" },
      ],
    });
  });

  it("says why a child could not be spawned at all", () => {
    const exit = {
      type: "exited",
      attempt: 3,
      at: 1_000,
      exit: { code: null, signal: null, error: "spawn node ENOENT" },
    } as const;
    expect(step(states.probing, exit).effects).toContainEqual({
      type: "announce",
      state: "crashed",
      detail: "could not start: spawn node ENOENT  (log: logs/api.log)",
    });
  });

  it("starts again once stopped when a start came while stopping, unless a stop came after it", () => {
    const restarting = step(states.stopping, events.start).state;
    expect(step(restarting, events.exited)).toEqual({
      state: { ...launched(1), launchedAt: events.exited.at },
      effects: [
        { type: "cancel", pending: "forceKill" },
        { type: "announce", state: "stopped", detail: "exit code 1" },
        { type: "resolve", waiters: "exits" },
        ...launch,
      ],
    });
    const changedItsMind = step(restarting, events.stop).state;
    expect(step(changedItsMind, events.exited).state).toEqual(states.stopped);
  });

  it("counts restarts only when backoff ends, not when a person starts it", () => {
    const crashed = step(states.ready, events.exited).state;
    expect(step(crashed, events.restartTimer).state.restarts).toBe(2);
    expect(step(crashed, events.start).state.restarts).toBe(1);
  });
});

describe("wantsMigration", () => {
  it("holds only while the same launch is still migrating: a stop or a newer launch abandons it", () => {
    expect(wantsMigration(states.migrating, 3)).toBe(true);
    expect(wantsMigration(step(states.migrating, events.stop).state, 3)).toBe(false);
    expect(wantsMigration(step(step(states.migrating, events.stop).state, events.start).state, 3)).toBe(false);
    expect(wantsMigration(states.probing, 3)).toBe(false);
  });
});
