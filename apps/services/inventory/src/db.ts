import { openPrismaDatabase } from "@microshop/service-runtime/database";
import { writeTransaction as runtimeWriteTransaction } from "@microshop/service-runtime/sqlite";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { PrismaClient, type Prisma } from "./generated/prisma/client";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Opens this service's own database (SQLite or Postgres, from the URL) through Prisma's driver adapter. */
export function openDb(url: string): Promise<Db> {
  return openPrismaDatabase(url, {
    sqlite: (adapter) => new PrismaClient({ adapter }),
    postgres: (adapter) => new PostgresClient({ adapter }),
  });
}

/** The runtime's write transaction (write lock first), typed for this service's client. */
export function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return runtimeWriteTransaction(db, work);
}
