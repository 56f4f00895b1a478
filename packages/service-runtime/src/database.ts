/**
 * Why this file exists: one place decides which database a service runs on, from the scheme of its
 * `DATABASE_URL`, so every service runs on SQLite (the embedded default, `file:`) and on Postgres
 * (`postgres://`, one database per service) with the same code. Each service generates two Prisma
 * clients from one authored schema (the SQLite one and its generated Postgres variant, see
 * tooling/build-config/postgres-schema.js); `openPrismaDatabase` opens the one the URL names, on the
 * driver adapter that takes the write lock first (`sqlite-writes.ts`, `postgres-writes.ts`).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { z } from "zod";
import { LockingPostgresAdapter } from "./postgres-writes";
import { openPrismaSqlite } from "./sqlite";
import type { SerializedSqliteAdapter } from "./sqlite-writes";

export type DatabaseProvider = "sqlite" | "postgres";

/** Whether a database URL names a Postgres database (both schemes libpq accepts). */
export function isPostgresUrl(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

export function databaseProviderOf(url: string): DatabaseProvider {
  return isPostgresUrl(url) ? "postgres" : "sqlite";
}

/** The variables that place a service's database; every service's config extends this. */
export const databaseConfigSchema = z.object({
  /** Where the default SQLite file goes: `<DATA_DIR>/<service>.db`. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** `file:<path>` (SQLite) or `postgres://user:password@host:port/database`; unset means the SQLite default. */
  DATABASE_URL: z
    .string()
    .refine((url) => url.startsWith("file:") || isPostgresUrl(url), "must be a SQLite file: URL or a postgres:// URL")
    .optional(),
});

/**
 * The database URL of a service: `DATABASE_URL` when given, else `<DATA_DIR>/<service>.db`.
 * Creates the folder so a fresh clone needs no set-up step.
 */
export function databaseUrl(service: string, env: { DATABASE_URL?: string | undefined; DATA_DIR: string }): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const dir = path.resolve(env.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  return `file:${path.join(dir, `${service}.db`)}`;
}

/** A service's two generated clients, each made on the adapter of its provider. */
export interface PrismaClients<TClient> {
  readonly sqlite: (adapter: SerializedSqliteAdapter) => TClient;
  /**
   * The Postgres client, seen through the SQLite client's type: both are generated from the same
   * models, so the service's code is written once against one type.
   */
  readonly postgres: (adapter: LockingPostgresAdapter) => unknown;
}

const providers = new WeakMap<object, DatabaseProvider>();

/** The provider a client from `openPrismaDatabase` runs on: for the few queries that differ (text search). */
export function databaseProvider(db: object): DatabaseProvider {
  return providers.get(db) ?? "sqlite";
}

/**
 * Opens a service's own Prisma client on the database `url` names: SQLite through the serialized
 * adapter (tuned by `configureSqlite`), Postgres through `@prisma/adapter-pg` with the write lock.
 */
export async function openPrismaDatabase<TClient extends { $queryRawUnsafe(query: string): Promise<unknown> }>(
  url: string,
  clients: PrismaClients<TClient>,
): Promise<TClient> {
  if (!isPostgresUrl(url)) return openPrismaSqlite(url, clients.sqlite);
  const db = clients.postgres(new LockingPostgresAdapter(new PrismaPg({ connectionString: url }))) as TClient;
  providers.set(db, "postgres");
  return db;
}

/**
 * A case-insensitive "contains" filter on either provider: SQLite's LIKE already ignores ASCII case
 * (and knows no `mode`), Postgres's needs `mode: "insensitive"` (ILIKE).
 */
export function containsText(db: object, text: string): { contains: string } {
  return databaseProvider(db) === "postgres"
    ? ({ contains: text, mode: "insensitive" } as { contains: string })
    : { contains: text };
}
