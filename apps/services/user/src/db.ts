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
 * does; Prisma only issues BEGIN), so a count and the row it admits are one step for every replica:
 * a deferred transaction that reads and then writes lets two replicas read the same count.
 */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`UPDATE "SignInFailure" SET "at" = "at" WHERE 0`;
      return work(tx);
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}
