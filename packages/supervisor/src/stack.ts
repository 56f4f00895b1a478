import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { labEnv } from "@microshop/lab/feed";
import { deriveControlToken, deriveSigningKey, trustedKeysFor } from "@microshop/service-auth";
import {
  callerNames,
  databaseUrlEnvName,
  folders,
  monolithServiceUrl,
  ports as defaultPorts,
  serviceNames,
  services,
  serviceUrlsEnvName,
  type ServiceName,
} from "@microshop/topology";
import { initialRelease, instanceEnv } from "./instance-env";
import type { MigrationTarget } from "./migrations";
import { nodeEnvFor, nodeFlagsFor, type NodeFlagProfile } from "./node-flags";
import type { ProcessKind, ProcessSpec, StackMode } from "./process-spec";

export interface StackOptions {
  readonly mode: StackMode;
  /** Watch mode: services under `tsx watch`, the storefront under `next dev`. */
  readonly dev: boolean;
  readonly repoRoot: string;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Port overrides (tests use free ports); default the topology's. */
  readonly ports?: {
    readonly storefront?: number;
    readonly monolith?: number;
    readonly telemetry?: number;
    readonly dashboard?: number;
    /** Where the supervisor's control API listens: the dashboard drives it. */
    readonly supervisor?: number;
    readonly services?: Partial<Record<ServiceName, number>>;
  };
  /**
   * Added to every default port, so that two stacks (a soak run beside a developer's own stack,
   * microservices beside a monolith) can run on one machine. Explicit `ports` are taken as given.
   */
  readonly portOffset?: number;
  /** Default true: the telemetry service that every process sends its traces to. */
  readonly telemetry?: boolean;
  /**
   * The stack's root secret: each process's own signing key, every public key and the control
   * API's token are derived from it (`@microshop/service-auth`). A process gets only its own key.
   */
  readonly serviceTokenSecret?: string;
  /**
   * Where every process listens (default 127.0.0.1). A wildcard (0.0.0.0, ::) exposes the stack;
   * the processes still reach each other over loopback.
   */
  readonly host?: string;
  /** The Node flags of every process (`node-flags.ts`); default `sized`. */
  readonly nodeFlags?: NodeFlagProfile;
  /**
   * `--db postgres`: each service's `postgres://` URL (one database each, in the stack's own cluster).
   * Unset: every service keeps its SQLite file in the data dir.
   */
  readonly postgresUrls?: Partial<Record<ServiceName, string>>;
  /** Which services to run (default all); tests run a subset. */
  readonly services?: readonly ServiceName[];
  /** Default true. */
  readonly storefront?: boolean;
  /** Default true (needs the telemetry service). */
  readonly dashboard?: boolean;
  /**
   * The lab feed (the supervisor's `/lab/trpc`), when the stack has a control API: every service,
   * the monolith and the storefront follow it for their callees' endpoints and the faults in force.
   */
  readonly labFeedUrl?: string;
}

/** The signing identities that follow the lab feed: every replica of a service signs as its service. */
export const feedSigners = [...serviceNames, "monolith", "storefront"] as const;

/** Where the supervisor serves the lab feed and the control plane, beside the processes API at `/trpc`. */
export const labPaths = { feed: "/lab/trpc", controlPlane: "/control/trpc" } as const;

const loopback = "127.0.0.1";
const wildcards = new Set(["0.0.0.0", "::", "[::]"]);

/** The address the processes of a stack call each other on: the bound one, or loopback when bound to every interface. */
export function connectHost(bindHost: string): string {
  return wildcards.has(bindHost) ? loopback : bindHost;
}

/** Host names a control API bound to `bindHost` answers to: the loopback names and that address. */
export function controlHosts(bindHost: string): string[] {
  return [
    ...new Set(["127.0.0.1", "localhost", "::1", ...(wildcards.has(bindHost) ? [] : [bindHost.replace(/^\[(.*)\]$/, "$1")])]),
  ];
}

/** Where a stack lives and how its processes bind and run: what every spec of it shares. */
export interface StackPlaces {
  readonly repoRoot: string;
  readonly dataDir: string;
  readonly dev: boolean;
  readonly bindHost: string;
  /** The address its processes call each other on. */
  readonly host: string;
  readonly nodeFlags: NodeFlagProfile;
}

/** What tells one process of a stack from another. */
export interface ProcessParts {
  readonly name: string;
  readonly kind: ProcessKind;
  /** Its package, relative to the repository root (from the topology). */
  readonly folder: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  readonly dependsOn?: readonly string[];
  readonly hosts?: readonly string[];
  readonly migrations?: readonly MigrationTarget[];
}

// Readiness budgets (`readyTimeoutMs` below) are generous: a cold start migrates and seeds, and on a
// loaded 2-core machine (CI runs every package at once) the monolith once needed more than 30 s.
// A process that crashes is seen at once by its exit; the budget only bounds a hang.

/** Runs a package's executable with our own node, without a shell or pnpm in between. */
function resolveBin(packageDir: string, specifier: string): string {
  try {
    return createRequire(path.join(packageDir, "package.json")).resolve(specifier);
  } catch {
    throw new Error(`Cannot find ${specifier} from ${packageDir}: run \`pnpm install\` at the repository root`);
  }
}

function migrationTarget(stack: StackPlaces, service: ServiceName, postgresUrl: string | undefined): MigrationTarget {
  return {
    service,
    serviceDir: path.join(stack.repoRoot, services[service].folder),
    databaseFile: path.join(stack.dataDir, `${service}.db`),
    ...(postgresUrl ? { postgresUrl } : {}),
  };
}

const buildHint = "run `pnpm build` first (`pnpm start` does)";

/** The parts every spec shares: one instance of its own service, run in its package, logged to a file of its name. */
function processSpec(
  stack: StackPlaces,
  parts: ProcessParts,
  run: Pick<ProcessSpec, "command" | "args" | "requires" | "url" | "readyUrl" | "readyTimeoutMs">,
): ProcessSpec {
  return {
    name: parts.name,
    service: parts.name,
    replica: 1,
    kind: parts.kind,
    cwd: path.join(stack.repoRoot, parts.folder),
    env: {
      ...(stack.dev ? {} : nodeEnvFor(stack.nodeFlags)),
      ...instanceEnv(parts.name, initialRelease),
      ...parts.env,
      HOST: stack.bindHost,
      PORT: String(parts.port),
      NODE_ENV: stack.dev ? "development" : "production",
    },
    port: parts.port,
    dependsOn: parts.dependsOn ?? [],
    hosts: parts.hosts ?? [],
    migrations: parts.migrations ?? [],
    logFile: path.join(stack.dataDir, "logs", `${parts.name}.log`),
    ...run,
  };
}

/** A Node program of ours (telemetry, a service, the monolith): the built bundle, or its source under `tsx watch`. */
export function nodeProcessSpec(stack: StackPlaces, parts: ProcessParts): ProcessSpec {
  const dir = path.join(stack.repoRoot, parts.folder);
  const url = `http://${stack.host}:${parts.port}`;
  return processSpec(stack, parts, {
    command: process.execPath,
    ...(stack.dev
      ? { args: [resolveBin(dir, "tsx/cli"), "watch", "--clear-screen=false", "src/main.ts"] }
      : {
          args: [...nodeFlagsFor(parts.kind, stack.nodeFlags), "dist/main.js"],
          requires: [{ file: path.join(dir, "dist", "main.js"), hint: buildHint }],
        }),
    url,
    readyUrl: `${url}/readyz`,
    readyTimeoutMs: stack.dev ? 60_000 : 90_000,
  });
}

/**
 * A Next.js app (the storefront, the dashboard): `next start` of its build, or `next dev`. An app
 * with a production server of its own (`server`, built next to `.next`: the storefront's, with its
 * page cache in front of Next.js) runs that instead of `next start`, with the same HOST and PORT.
 */
export function nextAppSpec(stack: StackPlaces, parts: ProcessParts, options: { readonly server?: string } = {}): ProcessSpec {
  const dir = path.join(stack.repoRoot, parts.folder);
  const port = String(parts.port);
  const ownServer = stack.dev ? undefined : options.server;
  const buildRequired = [{ file: path.join(dir, ".next", "BUILD_ID"), hint: buildHint }];
  return processSpec(
    stack,
    { ...parts, env: { ...parts.env, NEXT_TELEMETRY_DISABLED: "1" } },
    {
      command: process.execPath,
      args: ownServer
        ? [...nodeFlagsFor(parts.kind, stack.nodeFlags), ownServer]
        : [
            ...(stack.dev ? [] : nodeFlagsFor(parts.kind, stack.nodeFlags)),
            resolveBin(dir, "next/dist/bin/next"),
            stack.dev ? "dev" : "start",
            "-H",
            stack.bindHost,
            "-p",
            port,
          ],
      ...(stack.dev
        ? {}
        : { requires: ownServer ? [...buildRequired, { file: path.join(dir, ownServer), hint: buildHint }] : buildRequired }),
      url: `http://localhost:${port}`,
      readyUrl: `http://${stack.host}:${port}/api/health`,
      // `next dev` compiles the health route on its first request.
      readyTimeoutMs: stack.dev ? 180_000 : 120_000,
    },
  );
}

/**
 * The processes of a stack, computed from the topology. Microservices: one process per service,
 * each with its own port and database, then the storefront pointed at each service. Monolith: one
 * process serving every router, then the storefront pointed at its mounts.
 */
export function buildStack(options: StackOptions): ProcessSpec[] {
  const { mode, dev, repoRoot, dataDir } = options;
  const bindHost = options.host ?? loopback;
  const host = connectHost(bindHost);
  const stack: StackPlaces = { repoRoot, dataDir, dev, bindHost, host, nodeFlags: options.nodeFlags ?? "sized" };
  const chosen = options.services ?? serviceNames;
  const offset = options.portOffset ?? 0;
  const monolithPort = options.ports?.monolith ?? defaultPorts.monolith + offset;
  const telemetryPort = options.ports?.telemetry ?? defaultPorts.telemetry + offset;
  const servicePort = (name: ServiceName) => options.ports?.services?.[name] ?? services[name].port + offset;
  const withTelemetry = options.telemetry ?? true;

  const serviceUrlEnv: Record<string, string> = {};
  for (const name of chosen) {
    serviceUrlEnv[serviceUrlsEnvName(name)] =
      mode === "monolith" ? monolithServiceUrl(name, host, monolithPort) : `http://${host}:${servicePort(name)}/trpc`;
  }
  // Every traced process sends its spans to the stack's own telemetry service (the standard OTel variable).
  const tracingEnv: Record<string, string> = withTelemetry
    ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:${telemetryPort}` }
    : { OTEL_SDK_DISABLED: "true" };
  // Each process: who it is and its own key (never another's), and every public key to check callers by.
  const root = options.serviceTokenSecret;
  const trustedKeys = root ? trustedKeysFor(root, callerNames) : undefined;
  const trustEnv = (name: string, signs: boolean): Record<string, string> =>
    root && trustedKeys
      ? {
          SERVICE_TRUSTED_KEYS: trustedKeys,
          ...(signs ? { SERVICE_SIGNING_KEY: deriveSigningKey(root, name) } : {}),
        }
      : {};
  const commonEnv = { LOG_LEVEL: options.logLevel, DATA_DIR: dataDir, ...tracingEnv };
  const postgresUrls = options.postgresUrls ?? {};
  const monolithDatabaseEnv: Record<string, string> = {};
  for (const name of chosen) {
    const url = postgresUrls[name];
    if (url) monolithDatabaseEnv[databaseUrlEnvName(name)] = url;
  }
  const feedEnv: Record<string, string> = options.labFeedUrl ? { [labEnv.feedUrl]: options.labFeedUrl } : {};

  const specs: ProcessSpec[] = [];
  if (withTelemetry) {
    // First and depended on by nobody: it only observes, and a stack without it still sells.
    specs.push(
      nodeProcessSpec(stack, {
        name: "telemetry",
        kind: "telemetry",
        folder: folders.telemetry,
        port: telemetryPort,
        // It calls nobody: it checks its callers and holds no key.
        env: { LOG_LEVEL: options.logLevel, ...trustEnv("telemetry", false) },
      }),
    );
  }
  if (mode === "microservices") {
    for (const name of chosen) {
      specs.push(
        nodeProcessSpec(stack, {
          name,
          kind: "service",
          folder: services[name].folder,
          port: servicePort(name),
          env: {
            ...commonEnv,
            ...feedEnv,
            ...trustEnv(name, true),
            ...serviceUrlEnv,
            DATABASE_URL: postgresUrls[name] ?? `file:${path.join(dataDir, `${name}.db`)}`,
          },
          dependsOn: services[name].dependsOn.filter((dependency) => chosen.includes(dependency)),
          migrations: [migrationTarget(stack, name, postgresUrls[name])],
        }),
      );
    }
  } else {
    specs.push(
      nodeProcessSpec(stack, {
        name: "monolith",
        kind: "monolith",
        folder: folders.monolith,
        port: monolithPort,
        // DATA_DIR: each service inside opens its own <DATA_DIR>/<name>.db; or its own <NAME>_DATABASE_URL.
        env: { ...commonEnv, ...feedEnv, ...trustEnv("monolith", true), ...serviceUrlEnv, ...monolithDatabaseEnv },
        hosts: [...chosen],
        migrations: chosen.map((name) => migrationTarget(stack, name, postgresUrls[name])),
      }),
    );
  }

  const storefrontPort = options.ports?.storefront ?? defaultPorts.storefront + offset;
  if (options.storefront ?? true) {
    const { SERVICE_TRUSTED_KEYS: _unused, ...storefrontTrust } = trustEnv("storefront", true);
    specs.push(
      nextAppSpec(
        stack,
        {
          name: "storefront",
          kind: "storefront",
          folder: folders.storefront,
          port: storefrontPort,
          env: {
            ...serviceUrlEnv,
            ...tracingEnv,
            ...feedEnv,
            ...storefrontTrust,
            // Bound to loopback, whatever reaches the storefront runs on this machine: the load
            // generator among them, which stands in for many shoppers by saying each one's address in
            // X-Forwarded-For, as a proxy in front of the store would (sign-ups are limited per
            // address). A stack bound wider trusts no hop unless TRUSTED_PROXY_HOPS says so.
            ...(wildcards.has(bindHost) || bindHost !== loopback ? {} : { TRUSTED_PROXY_HOPS: "1" }),
          },
          dependsOn: [...chosen],
        },
        { server: "dist/server.js" },
      ),
    );
  }
  if (withTelemetry && (options.dashboard ?? true)) {
    // The dashboard reads the telemetry service and drives the supervisor; it is not traced itself
    // (its own polling would be most of what the map showed).
    const supervisorPort = options.ports?.supervisor ?? defaultPorts.supervisor + offset;
    specs.push(
      nextAppSpec(stack, {
        name: "dashboard",
        kind: "dashboard",
        folder: folders.dashboard,
        port: options.ports?.dashboard ?? defaultPorts.dashboard + offset,
        env: {
          TELEMETRY_URL: `http://${host}:${telemetryPort}/trpc`,
          SUPERVISOR_URL: `http://${host}:${supervisorPort}/trpc`,
          CONTROL_PLANE_URL: `http://${host}:${supervisorPort}${labPaths.controlPlane}`,
          STOREFRONT_PUBLIC_URL: `http://localhost:${storefrontPort}`,
          // Its calls to the telemetry service are signed as the dashboard; the control API wants its token.
          ...(root
            ? { SERVICE_SIGNING_KEY: deriveSigningKey(root, "dashboard"), SUPERVISOR_CONTROL_TOKEN: deriveControlToken(root) }
            : {}),
        },
        dependsOn: ["telemetry"],
      }),
    );
  }
  return specs;
}

/** Files a stack needs before it can start, with what to do about each one missing. */
export function missingPrerequisites(specs: readonly ProcessSpec[]): string[] {
  return specs.flatMap((spec) =>
    (spec.requires ?? [])
      .filter((need) => !existsSync(need.file))
      .map((need) => `${spec.name}: ${need.file} is missing; ${need.hint}`),
  );
}
