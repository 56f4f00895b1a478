import path from "node:path";
import { mkdirSync } from "node:fs";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { z } from "zod";

/** The part of a Prisma client these helpers need; every service's generated client fits it. */
interface RawQueryable {
  $queryRawUnsafe(query: string): Promise<unknown>;
}

interface PrismaLike extends RawQueryable {
  $disconnect(): Promise<void>;
}

/** The variables that place a service's database; every service's config extends this. */
export const sqliteConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().startsWith("file:", "must be a SQLite file: URL").optional(),
});

/**
 * Opens a service's own Prisma client on its SQLite file through the driver adapter, tuned by
 * `configureSqlite`. `create` is the service's generated client: `(adapter) => new PrismaClient({ adapter })`.
 */
export async function openPrismaSqlite<TClient extends RawQueryable>(url: string, create: (adapter: PrismaBetterSQLite3) => TClient): Promise<TClient> {
  const db = create(new PrismaBetterSQLite3({ url }));
  await configureSqlite(db);
  return db;
}

/** Readiness (the database answers) and shutdown (the handle closes) of a database-backed service. */
export function databaseLifecycle(db: PrismaLike): { checkReady: () => Promise<void>; close: () => Promise<void> } {
  return {
    checkReady: async () => {
      await db.$queryRawUnsafe("SELECT 1");
    },
    close: () => db.$disconnect(),
  };
}

/**
 * SQLite settings every service database runs with: WAL so readers never wait for the writer,
 * a busy timeout so concurrent writers queue instead of failing, foreign keys enforced.
 */
export async function configureSqlite(db: RawQueryable): Promise<void> {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
}

/**
 * The database URL of a service: `DATABASE_URL` when given, else `<DATA_DIR>/<service>.db`.
 * Creates the folder so a fresh clone needs no set-up step.
 */
export function sqliteUrl(service: string, env: { DATABASE_URL?: string | undefined; DATA_DIR: string }): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const dir = path.resolve(env.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  return `file:${path.join(dir, `${service}.db`)}`;
}
