import { openPrismaSqlite } from "@microshop/service-runtime/sqlite";
import { PrismaClient, type Prisma } from "./generated/prisma/client";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Opens this service's own SQLite database through Prisma's driver adapter. */
export function openDb(url: string): Promise<Db> {
  return openPrismaSqlite(url, (adapter) => new PrismaClient({ adapter }));
}

/**
 * A transaction that holds SQLite's write lock from its first statement (what BEGIN IMMEDIATE
 * does; Prisma only issues BEGIN). A deferred transaction that reads and then writes can fail at
 * once with SQLITE_BUSY when another process wrote in between; taking the lock first makes
 * writers queue on the busy timeout instead, so check-then-update is atomic across processes.
 */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`UPDATE "StockItem" SET "reserved" = "reserved" WHERE 0`;
      return work(tx);
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}
