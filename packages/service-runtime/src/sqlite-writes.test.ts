// The adapter as Prisma ships it against the one every service runs on (`sqlite-writes.ts`): a plain
// write beside a rolled-back transaction, a transaction beside another connection's write, and two
// processes incrementing one counter on one file.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { connect, createCounter, readCounter, sql, type Connection, type Mode } from "./test-fixtures/sqlite-connections";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "microshop-sqlite-writes-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const url = `file:${path.join(dir, "test.db")}`;
  const setup = await connect(url, "deferred");
  await createCounter(setup);
  await setup.dispose();
  return url;
}

async function open(url: string, mode: Mode, timeoutMs?: number): Promise<Connection> {
  const connection = await connect(url, mode, timeoutMs);
  cleanups.push(() => connection.dispose());
  return connection;
}

async function notes(connection: Connection): Promise<string[]> {
  const result = await connection.queryRaw(sql(`SELECT "text" FROM "Note"`));
  return result.rows.map((row) => String(row[0]));
}

/** A request's transaction writes, another request writes outside any transaction, then the first rolls back. */
async function plainWriteBesideRollback(connection: Connection): Promise<void> {
  const tx = await connection.startTransaction();
  await tx.executeRaw(sql(`INSERT INTO "Note" ("text") VALUES ('rolled back')`));
  const plainWrite = connection.executeRaw(sql(`INSERT INTO "Note" ("text") VALUES ('plain write')`));
  await new Promise((resolve) => setImmediate(resolve));
  await tx.executeRaw(sql("ROLLBACK"));
  await tx.rollback();
  await plainWrite;
}

describe("writes on one connection", () => {
  it("keeps a plain write made while another request's transaction is open, which that transaction's rollback then cannot undo", async () => {
    const connection = await open(await freshDatabase(), "immediate");
    await plainWriteBesideRollback(connection);
    expect(await notes(connection)).toEqual(["plain write"]);
  });

  it("(the adapter alone runs the plain write inside the other transaction, and its rollback loses it)", async () => {
    const connection = await open(await freshDatabase(), "deferred");
    await plainWriteBesideRollback(connection);
    expect(await notes(connection)).toEqual([]);
  });

  it("gives two clients of one file in one process turns instead of a lock they would wait on synchronously", async () => {
    const url = await freshDatabase();
    const first = await open(url, "immediate", 0);
    const second = await open(url, "immediate", 0);
    const tx = await first.startTransaction();
    const other = second.executeRaw(sql(`INSERT INTO "Note" ("text") VALUES ('second client')`));
    await tx.executeRaw(sql(`INSERT INTO "Note" ("text") VALUES ('first client')`));
    await tx.executeRaw(sql("COMMIT"));
    await tx.commit();
    await other;
    expect((await notes(first)).sort()).toEqual(["first client", "second client"]);
  });
});

describe("a transaction beside another process's write", () => {
  /** Reads the counter in a transaction, lets another connection (busy timeout 0) try to write, then writes. */
  async function readThenWrite(mode: Mode) {
    const url = await freshDatabase();
    const replica = await open(url, mode);
    const otherProcess = await open(url, "deferred", 0);
    const tx = await replica.startTransaction();
    const seen = await readCounter(tx);
    const otherWrite = await otherProcess.executeRaw(sql(`UPDATE "Counter" SET "value" = "value" + 100 WHERE "id" = 1`)).then(
      () => "written" as const,
      () => "refused: the write lock is held" as const,
    );
    try {
      await tx.executeRaw(sql(`UPDATE "Counter" SET "value" = ? WHERE "id" = 1`, [seen + 1]));
      await tx.executeRaw(sql("COMMIT"));
      await tx.commit();
      return { otherWrite, ownWrite: "committed" as const, counter: await readCounter(replica) };
    } catch (error) {
      await tx.executeRaw(sql("ROLLBACK")).catch(() => undefined);
      await tx.rollback();
      return {
        otherWrite,
        ownWrite: error instanceof Error ? error.message : String(error),
        counter: await readCounter(replica),
      };
    }
  }

  it("takes the write lock first: the other writer waits its turn and this transaction commits", async () => {
    expect(await readThenWrite("immediate")).toEqual({
      otherWrite: "refused: the write lock is held",
      ownWrite: "committed",
      counter: 1,
    });
  });

  it("(a deferred transaction fails halfway with SQLITE_BUSY_SNAPSHOT once the other process has written)", async () => {
    const outcome = await readThenWrite("deferred");
    expect(outcome.otherWrite).toBe("written");
    expect(outcome.ownWrite).not.toBe("committed");
    expect(outcome.counter).toBe(100);
  });
});

describe("two processes on one file", () => {
  it("lose no increment and fail no transaction when each begins with the write lock", async () => {
    const url = await freshDatabase();
    const times = 150;
    const worker = () =>
      run(process.execPath, [tsx, path.join(here, "test-fixtures", "increment-worker.ts"), url, "immediate", String(times)]);
    const outputs = await Promise.all([worker(), worker()]);
    expect(outputs.map(({ stdout }) => JSON.parse(stdout) as unknown)).toEqual([
      { failures: 0, errors: [] },
      { failures: 0, errors: [] },
    ]);
    expect(await readCounter(await open(url, "immediate"))).toBe(2 * times);
  }, 120_000);
});
