import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import pg from "pg";

const run = promisify(execFile);

export interface TestDatabase {
  /**
   * A fresh database with every migration of the service applied: a `file:` URL (SQLite, the
   * default) or, under `MICROSHOP_TEST_DB=postgres`, a `postgres://` URL of a database of its own.
   */
  readonly url: string;
  /** A scratch folder of this database's, removed with it. */
  readonly dir: string;
  remove(): void;
}

/** Which provider the tests of this run use: `MICROSHOP_TEST_DB=postgres` (the `test:postgres` task) or SQLite. */
export function testDatabaseProvider(env: NodeJS.ProcessEnv = process.env): "sqlite" | "postgres" {
  const provider = env.MICROSHOP_TEST_DB ?? "sqlite";
  if (provider !== "sqlite" && provider !== "postgres") {
    throw new Error(`MICROSHOP_TEST_DB is sqlite or postgres, got "${provider}"`);
  }
  return provider;
}

async function migrate(serviceDir: string, url: string): Promise<void> {
  const prismaBin = path.join(serviceDir, "node_modules", ".bin", "prisma");
  await run(prismaBin, ["migrate", "deploy"], { cwd: serviceDir, env: { ...process.env, DATABASE_URL: url } });
}

// One migrated template per service and test worker; each test database is a copy of it, so the
// Prisma CLI runs once per file instead of once per test.
const templates = new Map<string, Promise<string>>();

function templateFor(serviceDir: string, make: (serviceDir: string) => Promise<string>): Promise<string> {
  let template = templates.get(serviceDir);
  if (!template) {
    template = make(serviceDir);
    templates.set(serviceDir, template);
  }
  return template;
}

async function migratedSqliteTemplate(serviceDir: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "microshop-template-"));
  const file = path.join(dir, "template.db");
  await migrate(serviceDir, `file:${file}`);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** The test run's cluster, from the Vitest global set-up of `@microshop/local-postgres`. */
function postgresAdminUrl(): string {
  const url = process.env.MICROSHOP_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "MICROSHOP_TEST_DB=postgres needs a cluster: run the tests through Vitest with serviceTestConfig " +
        "(@microshop/build-config/vitest starts one), or set MICROSHOP_TEST_POSTGRES_URL to a server's postgres:// URL.",
    );
  }
  return url;
}

function databaseUrlIn(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A database name of lower-case letters, digits and underscores, unique to this call. */
function uniqueName(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${randomBytes(4).toString("hex")}`.slice(-63);
}

async function migratedPostgresTemplate(serviceDir: string): Promise<string> {
  const name = uniqueName(`template_${path.basename(serviceDir)}`);
  await onAdmin(`CREATE DATABASE "${name}"`);
  await migrate(serviceDir, databaseUrlIn(postgresAdminUrl(), name));
  return name;
}

async function createPostgresTestDatabase(serviceDir: string, name: string): Promise<TestDatabase> {
  const template = await templateFor(serviceDir, migratedPostgresTemplate);
  const database = uniqueName(name);
  await onAdmin(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
  const dir = mkdtempSync(path.join(tmpdir(), `microshop-${name}-`));
  return {
    url: databaseUrlIn(postgresAdminUrl(), database),
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      // The run's cluster goes away whole at its end; this keeps a long run (or a server of your own) tidy.
      void onAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
    },
  };
}

/**
 * A throw-away database for a service's tests, migrated with the service's real migrations through
 * the Prisma CLI (`prisma migrate deploy`), so tests run against exactly what production runs: SQLite
 * by default, Postgres under `MICROSHOP_TEST_DB=postgres`. `serviceDir` is the folder holding the
 * service's `prisma.config.ts`.
 */
export async function createTestDatabase(serviceDir: string, name = "test"): Promise<TestDatabase> {
  if (testDatabaseProvider() === "postgres") return createPostgresTestDatabase(serviceDir, name);
  const template = await templateFor(serviceDir, migratedSqliteTemplate);
  const dir = mkdtempSync(path.join(tmpdir(), `microshop-${name}-`));
  const file = path.join(dir, `${name}.db`);
  copyFileSync(template, file);
  return { url: `file:${file}`, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs one statement on a test database behind its service's back (a price changed in the catalog),
 * on either provider. Write it with `?` placeholders and quoted identifiers, which both understand
 * once the placeholders are numbered for Postgres.
 */
export async function executeOnTestDatabase(url: string, sql: string, args: readonly (string | number)[] = []): Promise<number> {
  if (url.startsWith("file:")) {
    const connection = await new PrismaBetterSQLite3({ url }).connect();
    try {
      return await connection.executeRaw({
        sql,
        args: [...args],
        argTypes: args.map((arg) => ({ scalarType: typeof arg === "number" ? "int" : "string", arity: "scalar" })),
      });
    } finally {
      await connection.dispose();
    }
  }
  let n = 0;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          [...args],
        )
      ).rowCount ?? 0
    );
  } finally {
    await client.end();
  }
}
