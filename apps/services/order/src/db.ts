import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { configureSqlite } from "@microshop/service-runtime/sqlite";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

/** Opens this service's own SQLite database through Prisma's driver adapter. */
export async function openDb(url: string): Promise<Db> {
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  await configureSqlite(db);
  return db;
}
