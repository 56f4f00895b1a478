/**
 * Why this file exists: the house rule "every write transaction takes the write lock first" is what
 * makes a service's check-then-update atomic across requests and across replicas sharing one
 * database. On SQLite, `sqlite-writes.ts` keeps it with `BEGIN IMMEDIATE`: one writer per database,
 * readers never wait. `@prisma/adapter-pg` opens a plain READ COMMITTED transaction instead, in which
 * two replicas can both read "not charged yet" and both charge.
 *
 * This wraps the adapter (hand-written: a driver adapter is the only place that sees every statement
 * Prisma sends, including the transactions it opens for nested writes) so Postgres keeps the same
 * guarantee the same way:
 * - every transaction takes one transaction-scoped advisory lock (`pg_advisory_xact_lock`) as its
 *   first statement, held until COMMIT or ROLLBACK: one writer at a time per database, across every
 *   process that opens it, and whatever the transaction reads after the lock is the latest commit;
 * - a write outside any transaction (a plain `update`, an `$executeRaw`) runs in a little
 *   transaction of its own that takes the same lock, as SQLite's writes all take its one write lock;
 * - reads outside a transaction take no lock, as SQLite's readers in WAL mode never wait.
 *
 * Every statement is also a client span here (`statement-spans.ts`), the lock's included.
 */
import type { PrismaPg } from "@prisma/adapter-pg";
import { inStatementSpan } from "./statement-spans";

type Connection = Awaited<ReturnType<PrismaPg["connect"]>>;
type SqlQuery = Parameters<Connection["queryRaw"]>[0];
type ResultSet = Awaited<ReturnType<Connection["queryRaw"]>>;
type Transaction = Awaited<ReturnType<Connection["startTransaction"]>>;
type IsolationLevel = Parameters<Connection["startTransaction"]>[0];

/** The advisory lock's key: any constant will do, advisory locks are per database. */
export const writeLockKey = 7_210_531;

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });
// Run with executeRaw: the lock function returns `void`, a column type the adapter cannot read back.
const takeWriteLock = statement(`SELECT pg_advisory_xact_lock(${writeLockKey})`);

/** Whether a statement Prisma sends changes rows (the first keyword is what Postgres acts on). */
export function isWriteStatement(sql: string): boolean {
  return /^\s*(insert|update|delete|merge)\b/i.test(sql);
}

/** A transaction of the adapter whose statements are each a client span. */
class TracedTransaction implements Transaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  readonly options: Transaction["options"];

  constructor(private readonly tx: Transaction) {
    this.provider = tx.provider;
    this.adapterName = tx.adapterName;
    this.options = tx.options;
  }

  queryRaw(query: SqlQuery): Promise<ResultSet> {
    return inStatementSpan("postgresql", query.sql, () => this.tx.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return inStatementSpan("postgresql", query.sql, () => this.tx.executeRaw(query));
  }

  commit(): Promise<void> {
    return this.tx.commit();
  }

  rollback(): Promise<void> {
    return this.tx.rollback();
  }
}

/** The adapter's connection, with every transaction and every plain write taking the write lock first. */
class LockingConnection {
  readonly provider: Connection["provider"];
  readonly adapterName: string;

  constructor(private readonly connection: Connection) {
    this.provider = connection.provider;
    this.adapterName = connection.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<ResultSet> {
    if (!isWriteStatement(query.sql)) return inStatementSpan("postgresql", query.sql, () => this.connection.queryRaw(query));
    return this.inLockedTransaction((tx) => tx.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    if (!isWriteStatement(query.sql)) return inStatementSpan("postgresql", query.sql, () => this.connection.executeRaw(query));
    return this.inLockedTransaction((tx) => tx.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.connection.executeScript(script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const tx = new TracedTransaction(
      await inStatementSpan("postgresql", "BEGIN", () => this.connection.startTransaction(isolationLevel)),
    );
    try {
      await tx.executeRaw(takeWriteLock);
    } catch (error) {
      await tx.executeRaw(statement("ROLLBACK")).catch(() => undefined);
      await tx.rollback();
      throw error;
    }
    return tx;
  }

  getConnectionInfo(): ReturnType<Connection["getConnectionInfo"]> {
    return this.connection.getConnectionInfo();
  }

  dispose(): Promise<void> {
    return this.connection.dispose();
  }

  /** One statement in a transaction of its own that holds the write lock. */
  private async inLockedTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx = await this.startTransaction();
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      await tx.executeRaw(statement("ROLLBACK")).catch(() => undefined);
      await tx.rollback();
      throw error;
    }
    try {
      await tx.executeRaw(statement("COMMIT"));
    } finally {
      await tx.commit();
    }
    return result;
  }
}

/** The driver adapter a service's Postgres client runs on: `@prisma/adapter-pg` with the write lock. */
export class LockingPostgresAdapter {
  readonly provider: PrismaPg["provider"];
  readonly adapterName: string;

  constructor(private readonly adapter: PrismaPg) {
    this.provider = adapter.provider;
    this.adapterName = adapter.adapterName;
  }

  async connect(): Promise<LockingConnection> {
    return new LockingConnection(await this.adapter.connect());
  }

  async connectToShadowDb(): Promise<LockingConnection> {
    return new LockingConnection(await this.adapter.connectToShadowDb());
  }
}
