/**
 * The Node flags each process of the stack runs with, sized to what it does. Measured first (the
 * `memory` benchmark, `process.memoryUsage()` and V8's heap spaces per service): an idle service
 * held 150 to 180 MB, of which 20 to 30 MB were the parsed source map of its bundle
 * (`--enable-source-maps` reads it at start and keeps it in the large-object space), 16 to 32 MB an
 * empty young generation that V8 had grown while the process started, and a few MB per V8 worker
 * thread. The live objects of a service are about 25 MB.
 *
 * `sized` (the default): no source maps (a stack trace names the bundle's line; `NODE_OPTIONS=--enable-source-maps`
 * brings them back while debugging), a young generation capped small (a request's garbage is
 * small, and the stack shares two cores, so more frequent and shorter scavenges cost little), and
 * one V8 worker thread. `node-defaults`: what the stack ran with before, kept as the baseline the
 * benchmark compares with.
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

/** Flags placed before the program's entry (`node <flags> dist/main.js`). */
export function nodeFlagsFor(kind: ProcessKind, profile: NodeFlagProfile): string[] {
  if (profile === "node-defaults") return kind === "storefront" || kind === "dashboard" ? [] : ["--enable-source-maps"];
  return [`--max-semi-space-size=${semiSpaceMb[kind]}`, "--v8-pool-size=1"];
}
