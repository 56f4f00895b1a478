import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { TRPCError } from "@trpc/server";
import { pino } from "pino";
import { expect } from "vitest";
import { openDb, type Db } from "./db";
import { appRouter } from "./router/root";
import { createCallerFactory } from "./trpc";

export const serviceDir = path.resolve(import.meta.dirname, "..");
const createCaller = createCallerFactory(appRouter);

/** A migrated throw-away database with some stock, a caller on it and a clock the test moves. */
export async function setUp(stock: Record<string, number>) {
  const database: TestDatabase = await createTestDatabase(serviceDir, "inventory");
  const db: Db = await openDb(database.url);
  await db.stockItem.createMany({ data: Object.entries(stock).map(([productId, onHand]) => ({ productId, onHand })) });
  const clock = { now: new Date("2026-06-01T12:00:00Z") };
  const caller = createCaller({ db, logger: pino({ level: "silent" }), now: () => clock.now });
  return {
    database,
    db,
    caller,
    clock,
    async tearDown() {
      await db.$disconnect();
      database.remove();
    },
  };
}

export async function errorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}
