import { openPrismaDatabase } from "@microshop/service-runtime/database";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

/** Opens this service's own database (SQLite or Postgres, from the URL) through Prisma's driver adapter. */
export function openDb(url: string): Promise<Db> {
  return openPrismaDatabase(url, {
    sqlite: (adapter) => new PrismaClient({ adapter }),
    postgres: (adapter) => new PostgresClient({ adapter }),
  });
}
