import { openPrismaSqlite } from "@microshop/service-runtime/sqlite";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
export type { Payment, Refund } from "./generated/prisma/client";

/** Opens this service's own SQLite database through Prisma's driver adapter. */
export function openDb(url: string): Promise<Db> {
  return openPrismaSqlite(url, (adapter) => new PrismaClient({ adapter }));
}
