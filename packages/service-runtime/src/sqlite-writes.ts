/**
 * Why this file exists: `@prisma/adapter-better-sqlite3` (6.19) runs every query of a Prisma client
 * on one shared better-sqlite3 connection and locks only to open a transaction. A plain statement
 * made while another request's interactive transaction is open therefore runs inside that
 * transaction, sees its uncommitted rows, and vanishes with its ROLLBACK. The adapter also opens
 * transactions with a plain (deferred) `BEGIN`, so a transaction that reads and then writes fails
 * with SQLITE_BUSY_SNAPSHOT whenever another process (a replica on the same file) wrote in between.
 *
 * The adapter has no option for either, so this wraps it (hand-written: a driver adapter is the
 * only place both can be fixed for every query Prisma sends, including the transactions it opens
 * for nested writes):
 * - one queue per database file in this process: a transaction holds it from BEGIN to COMMIT or
 *   ROLLBACK, and every statement outside a transaction waits its turn, so nothing can slip into
 *   someone else's transaction;
 * - transactions begin with `BEGIN IMMEDIATE`: SQLite's write lock is taken first, so writers in
 *   other processes queue on the busy timeout instead of failing halfway through.
 *
 * Every statement is also a client span here (`statement-spans.ts`), the wait for its turn included.
 */
import path from "node:path";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { inStatementSpan } from "./statement-spans";

type Connection = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type SqlQuery = Parameters<Connection["queryRaw"]>[0];
type ResultSet = Awaited<ReturnType<Connection["queryRaw"]>>;
type Transaction = Awaited<ReturnType<Connection["startTransaction"]>>;
type IsolationLevel = Parameters<Connection["startTransaction"]>[0];

/** A first-come, first-served lock: `acquire` resolves with the function that lets the next one in. */
class TurnQueue {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    const previous = this.#tail;
    let release: () => void = () => undefined;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    return previous.then(() => release);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

const queues = new Map<string, TurnQueue>();

/** The queue of one database file: every client of that file in this process shares it. */
function queueFor(url: string): TurnQueue {
  const file = url.replace(/^file:/, "");
  // An in-memory database is private to its connection: nothing to share.
  if (file === ":memory:" || file === "") return new TurnQueue();
  const key = path.resolve(file);
  let queue = queues.get(key);
  if (!queue) {
    queue = new TurnQueue();
    queues.set(key, queue);
  }
  return queue;
}

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/** A transaction on the shared connection that gives the queue back when Prisma ends it. */
class ImmediateTransaction implements Transaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  // Prisma sends COMMIT and ROLLBACK as statements itself, then calls commit()/rollback().
  readonly options = { usePhantomQuery: false };

  constructor(
    private readonly connection: Connection,
    private readonly release: () => void,
  ) {
    this.provider = connection.provider;
    this.adapterName = connection.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<ResultSet> {
    return inStatementSpan("sqlite", query.sql, () => this.connection.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return inStatementSpan("sqlite", query.sql, () => this.connection.executeRaw(query));
  }

  commit(): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/** The adapter's connection with every statement and transaction taking its turn in `queue`. */
class SerializedConnection implements Connection {
  readonly provider: Connection["provider"];
  readonly adapterName: string;

  constructor(
    private readonly connection: Connection,
    private readonly queue: TurnQueue,
  ) {
    this.provider = connection.provider;
    this.adapterName = connection.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<ResultSet> {
    return inStatementSpan("sqlite", query.sql, () => this.queue.run(() => this.connection.queryRaw(query)));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return inStatementSpan("sqlite", query.sql, () => this.queue.run(() => this.connection.executeRaw(query)));
  }

  executeScript(script: string): Promise<void> {
    return this.queue.run(() => this.connection.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; refuse the rest exactly as the adapter does.
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") return this.connection.startTransaction(isolationLevel);
    return inStatementSpan("sqlite", "BEGIN IMMEDIATE", async () => {
      const release = await this.queue.acquire();
      try {
        await this.connection.executeRaw(statement("BEGIN IMMEDIATE"));
      } catch (error) {
        release();
        throw error;
      }
      return new ImmediateTransaction(this.connection, release);
    });
  }

  dispose(): Promise<void> {
    return this.connection.dispose();
  }
}

/**
 * The driver adapter every service's Prisma client runs on: `@prisma/adapter-better-sqlite3`,
 * serialized per database file in this process and with transactions that take the write lock first.
 */
export class SerializedSqliteAdapter {
  readonly provider: PrismaBetterSQLite3["provider"];
  readonly adapterName: string;
  readonly #queue: TurnQueue;

  constructor(
    private readonly adapter: PrismaBetterSQLite3,
    url: string,
  ) {
    this.provider = adapter.provider;
    this.adapterName = adapter.adapterName;
    this.#queue = queueFor(url);
  }

  async connect(): Promise<Connection> {
    return new SerializedConnection(await this.adapter.connect(), this.#queue);
  }

  async connectToShadowDb(): Promise<Connection> {
    return new SerializedConnection(await this.adapter.connectToShadowDb(), new TurnQueue());
  }
}
