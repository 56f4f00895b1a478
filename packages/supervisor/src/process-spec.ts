import type { MigrationTarget } from "./migrations";

export type StackMode = "microservices" | "monolith";
export type ProcessKind = "service" | "monolith" | "storefront" | "telemetry" | "dashboard";
export const processStates = ["starting", "ready", "stopping", "stopped", "crashed", "backoff"] as const;
export type ProcessState = (typeof processStates)[number];

/**
 * One process the supervisor runs. `name` is unique per process and `service` says what it runs,
 * so replicas of one service (`product-2` on another port) share `service` and differ in
 * `name`, `replica` and `port`; dependencies name services, never processes.
 */
export interface ProcessSpec {
  readonly name: string;
  readonly service: string;
  readonly replica: number;
  readonly kind: ProcessKind;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Added to the supervisor's own environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  /** Where people and other processes reach it. */
  readonly url: string;
  /** Polled until it answers 2xx. */
  readonly readyUrl: string;
  readonly readyTimeoutMs: number;
  /** Services that must be ready before this process starts. */
  readonly dependsOn: readonly string[];
  /** Services served from inside this process (the monolith's routers). */
  readonly hosts: readonly string[];
  /** Databases migrated before every start. */
  readonly migrations: readonly MigrationTarget[];
  readonly logFile: string;
  /** Files that must exist before the first start, with what to do when they do not. */
  readonly requires?: readonly { readonly file: string; readonly hint: string }[];
}

/** What the control API tells about a process. */
export interface ProcessInfo {
  readonly name: string;
  readonly service: string;
  readonly replica: number;
  readonly kind: ProcessKind;
  readonly mode: StackMode;
  readonly state: ProcessState;
  readonly pid: number | null;
  readonly url: string;
  readonly port: number;
  /** Automatic restarts after crashes since the supervisor started. */
  readonly restarts: number;
  readonly startedAt: Date | null;
  readonly hosts: readonly string[];
  readonly logFile: string;
}

/**
 * Whom a process signs its calls and its feed reports as: a service's name for every replica of
 * it, `monolith`, `storefront`; null for a process that follows no feed (telemetry, the dashboard).
 */
export function signerOf(spec: Pick<ProcessSpec, "kind" | "service">): string | null {
  switch (spec.kind) {
    case "service":
      return spec.service;
    case "monolith":
    case "storefront":
      return spec.kind;
    case "telemetry":
    case "dashboard":
      return null;
  }
}
