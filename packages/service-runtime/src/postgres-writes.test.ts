// The Postgres adapter every service runs on (`postgres-writes.ts`) against two "replicas" of one
// database: a transaction that reads then writes is never interleaved with another's, and a plain
// write waits for the transaction holding the write lock, as on SQLite.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SpanKind, trace } from "@opentelemetry/api";
import { startPostgresCluster, type PostgresCluster } from "@microshop/local-postgres";
import { recordSpans } from "@microshop/tracing/testing";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWriteStatement, LockingPostgresAdapter } from "./postgres-writes";

type Connection = Awaited<ReturnType<LockingPostgresAdapter["connect"]>>;

const spans = recordSpans();

const dir = mkdtempSync(path.join(tmpdir(), "microshop-postgres-writes-"));
let cluster: PostgresCluster;
const opened: Connection[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster({ dir, port: 20_000 + ((process.pid + 7) % 20_000), durable: false });
  await cluster.ensureDatabase("writes");
});

afterAll(async () => {
  for (const connection of opened) await connection.dispose();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sql = (text: string, args: unknown[] = []) => ({
  sql: text,
  args,
  argTypes: args.map(() => ({ scalarType: "int" as const, arity: "scalar" as const })),
});

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: cluster.url("writes") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function freshCounter(): Promise<void> {
  await admin((client) =>
    client.query(
      `DROP TABLE IF EXISTS "Counter"; CREATE TABLE "Counter" ("id" int PRIMARY KEY, "value" int NOT NULL); INSERT INTO "Counter" VALUES (1, 0)`,
    ),
  );
}

/** A replica's connection: its own pool on the same database. */
async function replica(): Promise<Connection> {
  const connection = await new LockingPostgresAdapter(new PrismaPg({ connectionString: cluster.url("writes") })).connect();
  opened.push(connection);
  return connection;
}

async function readCounter(queryable: Pick<Connection, "queryRaw">): Promise<number> {
  const result = await queryable.queryRaw(sql(`SELECT "value" FROM "Counter" WHERE "id" = 1`));
  return Number(result.rows[0]?.[0]);
}

/** Resolves once some session waits for the write lock; the test's budget bounds it. */
async function someoneWaitsForTheLock(): Promise<void> {
  for (;;) {
    const waiting = await admin((client) => client.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`));
    if (waiting.rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the Postgres write lock", () => {
  it("makes a second replica's read-then-write transaction wait for the first's commit, so no update is lost", async () => {
    await freshCounter();
    const [first, second] = [await replica(), await replica()];
    const tx = await first.startTransaction();
    const seen = await readCounter(tx);
    const other = (async () => {
      const otherTx = await second.startTransaction();
      const value = await readCounter(otherTx);
      await otherTx.executeRaw(sql(`UPDATE "Counter" SET "value" = $1 WHERE "id" = 1`, [value + 1]));
      await otherTx.executeRaw(sql("COMMIT"));
      await otherTx.commit();
    })();
    await someoneWaitsForTheLock();
    await tx.executeRaw(sql(`UPDATE "Counter" SET "value" = $1 WHERE "id" = 1`, [seen + 1]));
    await tx.executeRaw(sql("COMMIT"));
    await tx.commit();
    await other;
    expect(await readCounter(first)).toBe(2);
  });

  it("makes a plain write outside any transaction wait for the transaction holding the lock", async () => {
    await freshCounter();
    const [first, second] = [await replica(), await replica()];
    const tx = await first.startTransaction();
    const seen = await readCounter(tx);
    const plain = second.executeRaw(sql(`UPDATE "Counter" SET "value" = "value" + 10 WHERE "id" = 1`));
    await someoneWaitsForTheLock();
    await tx.executeRaw(sql(`UPDATE "Counter" SET "value" = $1 WHERE "id" = 1`, [seen + 1]));
    await tx.executeRaw(sql("COMMIT"));
    await tx.commit();
    expect(await plain).toBe(1);
    expect(await readCounter(first)).toBe(11);
  });

  it("gives a failed plain write's lock back", async () => {
    await freshCounter();
    const connection = await replica();
    await expect(connection.executeRaw(sql(`UPDATE "Nowhere" SET "value" = 1`))).rejects.toThrow();
    expect(await connection.executeRaw(sql(`UPDATE "Counter" SET "value" = 5 WHERE "id" = 1`))).toBe(1);
    expect(await readCounter(connection)).toBe(5);
  });
});

describe("statement spans on Postgres", () => {
  it("make every statement a client span, the write lock's included", async () => {
    await freshCounter();
    const connection = await replica();
    spans.reset();
    // Under a request's span, as a service's statements are: without one, a statement makes none.
    await trace.getTracer("test").startActiveSpan("request", async (request) => {
      await connection.executeRaw(sql(`UPDATE "Counter" SET "value" = 3 WHERE "id" = 1`));
      expect(await readCounter(connection)).toBe(3);
      request.end();
    });
    const finished = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(finished.map((span) => span.name)).toEqual(["BEGIN", "SELECT", "UPDATE Counter", "COMMIT", "SELECT Counter"]);
    for (const span of finished) expect(span.attributes["db.system.name"]).toBe("postgresql");
  });
});

describe("isWriteStatement", () => {
  it("tells the statements that change rows from the reads", () => {
    for (const write of [
      `INSERT INTO "A" VALUES (1)`,
      ` update "A" SET x = 1`,
      `DELETE FROM "A"`,
      "\n  MERGE INTO a USING b ON true",
    ]) {
      expect(isWriteStatement(write), write).toBe(true);
    }
    for (const read of [`SELECT * FROM "A"`, `WITH x AS (SELECT 1) SELECT * FROM x`, "SELECT 1", `SELECT "updated" FROM "A"`]) {
      expect(isWriteStatement(read), read).toBe(false);
    }
  });
});
