/**
 * The Node flags each process of the stack runs with, sized to what it does. Measured first (the
 * `memory` benchmark, `process.memoryUsage()` and V8's heap spaces per service): an idle service
 * held 150 to 180 MB, of which 20 to 30 MB were the parsed source map of its bundle
 * (`--enable-source-maps` reads it at start and keeps it in the large-object space), 16 to 32 MB an
 * empty young generation that V8 had grown while the process started, and a few MB per V8 worker
 * thread. The live objects of a service are about 25 MB.
 *
 * On Node 24 the young generation keeps Node's size: better-sqlite3 (11.x and 12.x alike) aborts
 * the process when a scavenge collects one of its statements at the wrong moment
 * (`RemoveEnvironmentCleanupHook`: `Assertion failed: (env) != nullptr`), which a 1 MB young
 * generation made happen within seconds of a seed. On Node 22, `--experimental-async-context-frame`
 * carries AsyncLocalStorage (OpenTelemetry's context) in the frame instead of promise hooks, as
 * Node 24 does by default: the context cost the tracing benchmark measured on Node 20.
 *
 * glibc's malloc raises its mmap threshold to the size of any large block that is freed, and from
 * then on keeps blocks that size in its arenas after they are freed: the user service's scrypt (16 MiB
 * a hash, on one of libuv's four threads) left one such block in each thread's arena, and the service
 * at 258 MiB under load (two hashes in a bare Node: 17 MiB more; four: 49 MiB). With the threshold fixed
 * at glibc's own default (128 KiB), a large block is mapped on its own and given back when it is freed:
 * the idle stack went from 1053 to 975 MiB (measured by hand, then by the `memory` benchmark).
 *
 * `sized` (the default): no source maps (a stack trace names the bundle's line; `NODE_OPTIONS=--enable-source-maps`
 * brings them back while debugging), a young generation capped small (a request's garbage is
 * small, and the stack shares two cores, so more frequent and shorter scavenges cost little), and
 * one V8 worker thread, malloc's mmap threshold fixed; the supervisor's own flags (`pnpm start`
 * gives them) are the small young generation and one worker thread. `node-defaults`: what the stack
 * ran with before, kept as the baseline the benchmark compares with.
 */
import type { ProcessKind } from "./process-spec";

export const nodeFlagProfiles = ["sized", "node-defaults"] as const;
export type NodeFlagProfile = (typeof nodeFlagProfiles)[number];

/** The young generation's cap per process, in MB (V8's default grows it to 16 on 64-bit). */
const semiSpaceMb: Record<ProcessKind, number> = {
  service: 1,
  monolith: 2,
  // Server rendering allocates more per request than a tRPC call.
  storefront: 1,
  dashboard: 1,
  // Ingests every span of the stack in bursts: a larger nursery lets a batch die young.
  telemetry: 4,
};

/** The major version of the Node that runs the stack: the supervisor spawns every process with its own. */
const runningMajor = Number(process.versions.node.split(".")[0]);

/** Flags placed before the program's entry (`node <flags> dist/main.js`). */
export function nodeFlagsFor(kind: ProcessKind, profile: NodeFlagProfile, nodeMajor: number = runningMajor): string[] {
  if (profile === "node-defaults") return kind === "storefront" || kind === "dashboard" ? [] : ["--enable-source-maps"];
  return [
    ...(nodeMajor >= 24 ? [] : [`--max-semi-space-size=${semiSpaceMb[kind]}`]),
    "--v8-pool-size=1",
    ...(nodeMajor === 22 ? ["--experimental-async-context-frame"] : []),
  ];
}

/** The environment every process of a `sized` stack runs with (see above; glibc reads it, other libcs ignore it). */
export function nodeEnvFor(profile: NodeFlagProfile): Record<string, string> {
  return profile === "sized" ? { MALLOC_MMAP_THRESHOLD_: "131072" } : {};
}

/**
 * The supervisor's own flags: `pnpm start` and `pnpm start:monolith` run it with these (the root
 * package.json; a test holds the two together), and the benchmarks' stacks as well.
 */
export function supervisorNodeFlags(profile: NodeFlagProfile): string[] {
  return profile === "sized" ? ["--max-semi-space-size=1", "--v8-pool-size=1"] : [];
}
