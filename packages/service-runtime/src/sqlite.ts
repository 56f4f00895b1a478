import path from "node:path";
import { mkdirSync } from "node:fs";

/** The part of a Prisma client this helper needs; every service's generated client fits it. */
interface RawQueryable {
  $queryRawUnsafe(query: string): Promise<unknown>;
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
