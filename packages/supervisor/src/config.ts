import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "@microshop/service-runtime/config";
import { ports } from "@microshop/topology";
import { z } from "zod";
import { nodeFlagProfiles, type NodeFlagProfile } from "./node-flags";

export const usage = `Usage: microshop <command> [options]

Commands:
  start        run the built stack: migrate, start in dependency order, wait until ready (default)
  dev          the same stack in watch mode (tsx watch, next dev)
  help         show this text

Options:
  --mode <microservices|monolith>   one process per service (default) or one process for all
  --data-dir <dir>                  databases and logs (default <repo>/.data/<mode>)
  --db <sqlite|postgres>            one SQLite file per service (default), or one database per service
                                    in a local PostgreSQL cluster kept in <data-dir>/postgres
  --verbose                         also stream every process's output here, prefixed by its name
  -h, --help                        show this text

Environment:
  MICROSHOP_PORT_OFFSET  added to every default port, to run a second stack beside another (default 0)
  MICROSHOP_HOST         the address every process listens on (default 127.0.0.1; 0.0.0.0 exposes the stack)
  SERVICE_TOKEN_SECRET   the stack's root secret, from which every process's key is derived (default random)
  SUPERVISOR_PORT        control API port (default 4000)
  STOREFRONT_PORT        storefront port (default 3000)
  DASHBOARD_PORT         dashboard port (default 3001)
  MONOLITH_PORT          monolith port in monolith mode (default 4100)
  TELEMETRY_PORT         telemetry service, the OTLP/HTTP receiver (default 4318)
  POSTGRES_PORT          the local PostgreSQL cluster of --db postgres (default 5532)
  MICROSHOP_POSTGRES_BIN the folder of PostgreSQL's initdb and pg_ctl (default Debian's newest, or PATH)
  LOG_LEVEL              log level handed to every service (default info)
  MICROSHOP_NODE_FLAGS   sized: Node flags sized to each process (default); node-defaults: Node's own, with source maps
`;

/** The stack's PostgreSQL cluster (`--db postgres`), shifted by MICROSHOP_PORT_OFFSET like every port. */
export const defaultPostgresPort = 5532;

const port = z.coerce.number().int().min(0).max(65_535);

const configSchema = z.object({
  command: z.enum(["start", "dev", "help"], { error: "the command is start, dev or help" }),
  mode: z.enum(["microservices", "monolith"], { error: "--mode is microservices or monolith" }).default("microservices"),
  dataDir: z.string().min(1).optional(),
  db: z.enum(["sqlite", "postgres"], { error: "--db is sqlite or postgres" }).default("sqlite"),
  verbose: z.boolean().default(false),
  MICROSHOP_PORT_OFFSET: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Loopback unless told otherwise: nothing of a development stack is reachable from the network by default. */
  MICROSHOP_HOST: z
    .string()
    .trim()
    .min(1)
    .regex(/^[\w.:[\]-]+$/, "an IP address or host name, like 127.0.0.1 or 0.0.0.0")
    .default("127.0.0.1"),
  SUPERVISOR_PORT: port.optional(),
  STOREFRONT_PORT: port.optional(),
  DASHBOARD_PORT: port.optional(),
  MONOLITH_PORT: port.optional(),
  TELEMETRY_PORT: port.optional(),
  /** Off PostgreSQL's 5432, so a developer's own server is left alone. */
  POSTGRES_PORT: port.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `node-defaults` is the memory benchmark's baseline: what every process ran with before it was sized. */
  MICROSHOP_NODE_FLAGS: z.enum(nodeFlagProfiles, { error: "MICROSHOP_NODE_FLAGS is sized or node-defaults" }).default("sized"),
});

export interface CliConfig {
  readonly command: "start" | "dev" | "help";
  readonly mode: "microservices" | "monolith";
  readonly dataDir: string;
  /** Where every service keeps its data: its SQLite file, or its database in the stack's PostgreSQL cluster. */
  readonly db: "sqlite" | "postgres";
  readonly postgresPort: number;
  readonly verbose: boolean;
  readonly portOffset: number;
  readonly host: string;
  readonly supervisorPort: number;
  readonly storefrontPort: number;
  readonly dashboardPort: number;
  readonly monolithPort: number;
  readonly telemetryPort: number;
  readonly logLevel: string;
  readonly nodeFlags: NodeFlagProfile;
  readonly repoRoot: string;
}

/** Folder holding pnpm-workspace.yaml, found from this file whether it runs from src or dist. */
export function findRepoRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No pnpm-workspace.yaml above ${from}`);
  }
}

const argvOptions = {
  mode: { type: "string" },
  "data-dir": { type: "string" },
  db: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function readArgv(argv: readonly string[]) {
  try {
    // Node's own parser: unknown options are errors, not silently ignored.
    return parseArgs({ args: [...argv], options: argvOptions, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError("supervisor", [error instanceof Error ? error.message : String(error)]);
  }
}

/** Reads argv and the environment once; throws ConfigError naming every problem. */
export function parseCliConfig(argv: readonly string[], env: NodeJS.ProcessEnv, repoRoot: string = findRepoRoot()): CliConfig {
  const parsed = readArgv(argv);
  if (parsed.positionals.length > 1)
    throw new ConfigError("supervisor", [`one command expected, got ${parsed.positionals.join(" ")}`]);
  const config = parseConfig("supervisor", configSchema, {
    ...env,
    command: parsed.values.help ? "help" : (parsed.positionals[0] ?? "start"),
    mode: parsed.values.mode,
    dataDir: parsed.values["data-dir"],
    db: parsed.values.db,
    verbose: parsed.values.verbose,
  } as unknown as NodeJS.ProcessEnv);
  const offset = config.MICROSHOP_PORT_OFFSET;
  return {
    command: config.command,
    mode: config.mode,
    dataDir: path.resolve(config.dataDir ?? path.join(repoRoot, ".data", config.mode)),
    db: config.db,
    postgresPort: config.POSTGRES_PORT ?? defaultPostgresPort + offset,
    verbose: config.verbose,
    portOffset: offset,
    host: config.MICROSHOP_HOST,
    supervisorPort: config.SUPERVISOR_PORT ?? ports.supervisor + offset,
    storefrontPort: config.STOREFRONT_PORT ?? ports.storefront + offset,
    dashboardPort: config.DASHBOARD_PORT ?? ports.dashboard + offset,
    monolithPort: config.MONOLITH_PORT ?? ports.monolith + offset,
    telemetryPort: config.TELEMETRY_PORT ?? ports.telemetry + offset,
    logLevel: config.LOG_LEVEL,
    nodeFlags: config.MICROSHOP_NODE_FLAGS,
    repoRoot,
  };
}

/**
 * The supervisor's environment as a child inherits it: without the stack's root secret or any key,
 * so a process holds only the credentials its spec hands it.
 */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const { SERVICE_TOKEN_SECRET: _root, SERVICE_SIGNING_KEY: _key, SUPERVISOR_CONTROL_TOKEN: _control, ...rest } = process.env;
  return rest;
}
