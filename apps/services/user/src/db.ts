import { openPrismaSqlite, writeTransaction as runtimeWriteTransaction } from "@microshop/service-runtime/sqlite";
import { PrismaClient, type Prisma } from "./generated/prisma/client";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Opens this service's own SQLite database through Prisma's driver adapter. */
export function openDb(url: string): Promise<Db> {
  return openPrismaSqlite(url, (adapter) => new PrismaClient({ adapter }));
}

/** The runtime's write transaction (write lock first), typed for this service's client. */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return runtimeWriteTransaction(db, work);
}
