import path from "node:path";
import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, it } from "vitest";
import { openDb, type Db } from "../db";
import { seedIfEmpty } from "../seed";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);
let database: TestDatabase;
let db: Db;
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
  database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "product-hostile");
  db = await openDb(database.url);
  await seedIfEmpty(db);
  caller = createCaller({ db, logger: pino({ level: "silent" }) });
});
afterAll(async () => {
  await db.$disconnect();
  database.remove();
});

describe("hostile input never breaks the catalog", () => {
  it.each([
    [
      "catalog.search",
      (input: unknown) => caller.catalog.search(input as never),
      { q: "kettle", page: 1, pageSize: 12, sort: "relevance" },
    ],
    ["catalog.bySlug", (input: unknown) => caller.catalog.bySlug(input as never), { slug: "enamel-kettle" }],
    ["catalog.byIds", (input: unknown) => caller.catalog.byIds(input as never), { ids: ["prod_enamel-kettle"] }],
    ["catalog.featured", (input: unknown) => caller.catalog.featured(input as never), { limit: 8 }],
  ] as const)("%s answers a typed 4xx or a result, never a crash", async (_name, call, shape) => {
    await expectOnlyCallerFaults(call, hostileInput(shape), 120);
  });
});
