import { openPrismaSqlite } from "@microshop/service-runtime/sqlite";
import { Prisma, PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
export type { Payment, Refund } from "./generated/prisma/client";

/** Opens this service's own SQLite database through Prisma's driver adapter. */
export function openDb(url: string): Promise<Db> {
  return openPrismaSqlite(url, (adapter) => new PrismaClient({ adapter }));
}

/** True when a write lost a race on a unique column: someone else already holds that key. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
