// Connections for the write-serialization tests: the adapter as Prisma ships it ("deferred": plain
// BEGIN, no queue) and as the services run it ("immediate"), plus the statements Prisma would send
// for one read-then-write transaction, so a test can mimic a Prisma client without generating one.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { SerializedSqliteAdapter } from "../sqlite-writes";

export type Mode = "deferred" | "immediate";
export type Connection = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;

export const sql = (text: string, args: unknown[] = []) => ({
  sql: text,
  args,
  argTypes: args.map(() => ({ scalarType: "int" as const, arity: "scalar" as const })),
});

/** `timeoutMs` is SQLite's busy timeout: how long a statement waits for another connection's lock. */
export async function connect(url: string, mode: Mode, timeoutMs = 5_000): Promise<Connection> {
  const adapter = new PrismaBetterSQLite3({ url, timeout: timeoutMs });
  const connection = await (mode === "immediate" ? new SerializedSqliteAdapter(adapter, url) : adapter).connect();
  await connection.queryRaw(sql("PRAGMA journal_mode = WAL"));
  return connection;
}

export async function createCounter(connection: Connection): Promise<void> {
  await connection.executeScript(`CREATE TABLE "Counter" ("id" INTEGER PRIMARY KEY, "value" INTEGER NOT NULL);
    INSERT INTO "Counter" ("id", "value") VALUES (1, 0);
    CREATE TABLE "Note" ("text" TEXT NOT NULL);`);
}

export async function readCounter(queryable: Pick<Connection, "queryRaw">): Promise<number> {
  const result = await queryable.queryRaw(sql(`SELECT "value" FROM "Counter" WHERE "id" = 1`));
  return Number(result.rows[0]?.[0]);
}

/** Reads the counter, yields to the event loop (as Prisma does between statements), writes it plus one. */
export async function incrementInTransaction(connection: Connection): Promise<void> {
  const tx = await connection.startTransaction();
  try {
    const value = await readCounter(tx);
    await new Promise((resolve) => setImmediate(resolve));
    await tx.executeRaw(sql(`UPDATE "Counter" SET "value" = ? WHERE "id" = 1`, [value + 1]));
    await tx.executeRaw(sql("COMMIT"));
    await tx.commit();
  } catch (error) {
    await tx.executeRaw(sql("ROLLBACK")).catch(() => undefined);
    await tx.rollback();
    throw error;
  }
}
