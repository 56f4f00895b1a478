import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deriveControlToken, deriveSigningKey, trustedKeysFor } from "@microshop/service-auth";
import {
  callerNames,
  monolithServiceUrl,
  ports as defaultPorts,
  serviceNames,
  services,
  serviceUrlsEnvName,
  type ServiceName,
} from "@microshop/topology";
import type { MigrationTarget } from "./migrations";
import type { ProcessSpec, StackMode } from "./process-spec";

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
  /** Which services to run (default all); tests run a subset. */
  readonly services?: readonly ServiceName[];
  /** Default true. */
  readonly storefront?: boolean;
  /** Default true (needs the telemetry service). */
  readonly dashboard?: boolean;
}

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

function migrationTarget(repoRoot: string, dataDir: string, service: ServiceName): MigrationTarget {
  return {
    service,
    serviceDir: path.join(repoRoot, "apps", "services", service),
    databaseFile: path.join(dataDir, `${service}.db`),
  };
}

/** The Node program a process runs: the built bundle, or its source under `tsx watch`. */
function nodeProgram(dir: string, dev: boolean): Pick<ProcessSpec, "command" | "args" | "requires"> {
  if (dev)
    return { command: process.execPath, args: [resolveBin(dir, "tsx/cli"), "watch", "--clear-screen=false", "src/main.ts"] };
  return {
    command: process.execPath,
    args: ["--enable-source-maps", "dist/main.js"],
    requires: [{ file: path.join(dir, "dist", "main.js"), hint: "run `pnpm build` first (`pnpm start` does)" }],
  };
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
  const chosen = options.services ?? serviceNames;
  const logsDir = path.join(dataDir, "logs");
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
          MICROSHOP_SERVICE_NAME: name,
          SERVICE_TRUSTED_KEYS: trustedKeys,
          ...(signs ? { SERVICE_SIGNING_KEY: deriveSigningKey(root, name) } : {}),
        }
      : {};
  const commonEnv = {
    LOG_LEVEL: options.logLevel,
    HOST: bindHost,
    DATA_DIR: dataDir,
    NODE_ENV: dev ? "development" : "production",
    ...tracingEnv,
  };

  const specs: ProcessSpec[] = [];
  if (withTelemetry) {
    // First and depended on by nobody: it only observes, and a stack without it still sells.
    const dir = path.join(repoRoot, "apps", "services", "telemetry");
    specs.push({
      name: "telemetry",
      service: "telemetry",
      replica: 1,
      kind: "telemetry",
      ...nodeProgram(dir, dev),
      cwd: dir,
      // It calls nobody: it checks its callers and holds no key.
      env: {
        LOG_LEVEL: options.logLevel,
        HOST: bindHost,
        NODE_ENV: commonEnv.NODE_ENV,
        PORT: String(telemetryPort),
        ...trustEnv("telemetry", false),
      },
      port: telemetryPort,
      url: `http://${host}:${telemetryPort}`,
      readyUrl: `http://${host}:${telemetryPort}/readyz`,
      readyTimeoutMs: dev ? 60_000 : 90_000,
      dependsOn: [],
      hosts: [],
      migrations: [],
      logFile: path.join(logsDir, "telemetry.log"),
    });
  }
  if (mode === "microservices") {
    for (const name of chosen) {
      const dir = path.join(repoRoot, "apps", "services", name);
      const port = servicePort(name);
      specs.push({
        name,
        service: name,
        replica: 1,
        kind: "service",
        ...nodeProgram(dir, dev),
        cwd: dir,
        env: {
          ...commonEnv,
          ...trustEnv(name, true),
          ...serviceUrlEnv,
          PORT: String(port),
          DATABASE_URL: `file:${path.join(dataDir, `${name}.db`)}`,
        },
        port,
        url: `http://${host}:${port}`,
        readyUrl: `http://${host}:${port}/readyz`,
        readyTimeoutMs: dev ? 60_000 : 90_000,
        dependsOn: services[name].dependsOn.filter((dependency) => chosen.includes(dependency)),
        hosts: [],
        migrations: [migrationTarget(repoRoot, dataDir, name)],
        logFile: path.join(logsDir, `${name}.log`),
      });
    }
  } else {
    const dir = path.join(repoRoot, "apps", "monolith");
    specs.push({
      name: "monolith",
      service: "monolith",
      replica: 1,
      kind: "monolith",
      ...nodeProgram(dir, dev),
      cwd: dir,
      // DATA_DIR only: each service inside opens its own <DATA_DIR>/<name>.db.
      env: { ...commonEnv, ...trustEnv("monolith", true), ...serviceUrlEnv, PORT: String(monolithPort) },
      port: monolithPort,
      url: `http://${host}:${monolithPort}`,
      readyUrl: `http://${host}:${monolithPort}/readyz`,
      readyTimeoutMs: dev ? 60_000 : 90_000,
      dependsOn: [],
      hosts: [...chosen],
      migrations: chosen.map((name) => migrationTarget(repoRoot, dataDir, name)),
      logFile: path.join(logsDir, "monolith.log"),
    });
  }

  const nextApp = (
    name: "storefront" | "dashboard",
    port: number,
    env: Record<string, string>,
    dependsOn: readonly string[],
  ): ProcessSpec => {
    const dir = path.join(repoRoot, "apps", name);
    return {
      name,
      service: name,
      replica: 1,
      kind: name,
      command: process.execPath,
      args: [resolveBin(dir, "next/dist/bin/next"), dev ? "dev" : "start", "-H", bindHost, "-p", String(port)],
      cwd: dir,
      env: {
        ...env,
        HOST: bindHost,
        PORT: String(port),
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: dev ? "development" : "production",
      },
      port,
      url: `http://localhost:${port}`,
      readyUrl: `http://${host}:${port}/api/health`,
      // `next dev` compiles the health route on its first request.
      readyTimeoutMs: dev ? 180_000 : 120_000,
      dependsOn,
      hosts: [],
      migrations: [],
      logFile: path.join(logsDir, `${name}.log`),
      ...(dev
        ? {}
        : { requires: [{ file: path.join(dir, ".next", "BUILD_ID"), hint: "run `pnpm build` first (`pnpm start` does)" }] }),
    };
  };

  const storefrontPort = options.ports?.storefront ?? defaultPorts.storefront + offset;
  if (options.storefront ?? true) {
    const { SERVICE_TRUSTED_KEYS: _unused, ...storefrontTrust } = trustEnv("storefront", true);
    specs.push(nextApp("storefront", storefrontPort, { ...serviceUrlEnv, ...tracingEnv, ...storefrontTrust }, [...chosen]));
  }
  if (withTelemetry && (options.dashboard ?? true)) {
    // The dashboard reads the telemetry service and drives the supervisor; it is not traced itself
    // (its own polling would be most of what the map showed).
    const dashboardPort = options.ports?.dashboard ?? defaultPorts.dashboard + offset;
    const supervisorPort = options.ports?.supervisor ?? defaultPorts.supervisor + offset;
    specs.push(
      nextApp(
        "dashboard",
        dashboardPort,
        {
          TELEMETRY_URL: `http://${host}:${telemetryPort}/trpc`,
          SUPERVISOR_URL: `http://${host}:${supervisorPort}/trpc`,
          STOREFRONT_PUBLIC_URL: `http://localhost:${storefrontPort}`,
          // Its calls to the telemetry service are signed as the dashboard; the control API wants its token.
          ...(root
            ? { SERVICE_SIGNING_KEY: deriveSigningKey(root, "dashboard"), SUPERVISOR_CONTROL_TOKEN: deriveControlToken(root) }
            : {}),
        },
        ["telemetry"],
      ),
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
