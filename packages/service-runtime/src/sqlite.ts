import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { sqliteNativeBinding } from "./sqlite-addon";
import { SerializedSqliteAdapter } from "./sqlite-writes";

/** The part of a Prisma client these helpers need; every service's generated client fits it. */
interface RawQueryable {
  $queryRawUnsafe(query: string): Promise<unknown>;
}

interface PrismaLike extends RawQueryable {
  $disconnect(): Promise<void>;
}

/**
 * Opens a service's own Prisma client on its SQLite file through the driver adapter, tuned by
 * `configureSqlite`. `create` is the service's generated client: `(adapter) => new PrismaClient({ adapter })`.
 * The adapter is serialized per database file and begins every transaction with the write lock
 * (`sqlite-writes.ts`), so a plain write is never undone by another request's rollback and a
 * replica on the same file never fails a transaction halfway with SQLITE_BUSY_SNAPSHOT.
 */
export async function openPrismaSqlite<TClient extends RawQueryable>(
  url: string,
  create: (adapter: SerializedSqliteAdapter) => TClient,
): Promise<TClient> {
  // eslint-disable-next-line no-restricted-properties -- like NODE_OPTIONS, it says how the process is run, not what the service does; read where the addon is loaded.
  const nativeBinding = sqliteNativeBinding(process.env);
  const adapter = new PrismaBetterSQLite3(nativeBinding ? { url, nativeBinding } : { url });
  const db = create(new SerializedSqliteAdapter(adapter, url));
  await configureSqlite(db);
  return db;
}

/** A Prisma client's interactive transactions; every service's generated client fits it. */
interface InteractiveTransactions<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}

/**
 * How long a write waits for its turn on the database and may then take. Generous: writes queue
 * one at a time per database (and across replicas on the write lock), and the machine may be
 * busy; Prisma's defaults (2 s, 5 s) fail healthy writes under load.
 */
export const writeTransactionOptions = { maxWait: 15_000, timeout: 15_000 } as const;

/**
 * The one way to run several statements that must happen together: an interactive transaction
 * that holds the database's write lock from its first statement (SQLite's BEGIN IMMEDIATE,
 * `sqlite-writes.ts`; Postgres's advisory lock, `postgres-writes.ts`), so check-then-update is
 * atomic across requests and across replicas. Keep it short and free of network calls: every
 * other statement on this database waits for it.
 */
export function writeTransaction<Tx, R>(db: InteractiveTransactions<Tx>, work: (tx: Tx) => Promise<R>): Promise<R> {
  return db.$transaction(work, writeTransactionOptions);
}

/** True when a write lost a race on a unique column (Prisma's P2002): someone else holds that key. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "P2002";
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
