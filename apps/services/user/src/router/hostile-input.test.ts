import path from "node:path";
import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);
let database: TestDatabase;
let db: Db;
let caller: ReturnType<typeof createCaller>;
let token = "";

beforeAll(async () => {
  database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "user-hostile");
  db = await openDb(database.url);
  caller = createCaller({ db, logger: pino({ level: "silent" }), now: () => new Date(), sessionTtlHours: 24 });
  token = (await caller.auth.signUp({ email: "ada@example.com", password: "correct horse battery", name: "Ada" })).session.token;
});
afterAll(async () => {
  await db.$disconnect();
  database.remove();
});

describe("hostile input never breaks the user service", () => {
  const address = { name: "Ada", line1: "1 Road", city: "London", postalCode: "N1", country: "GB" };
  it.each([
    [
      "auth.signIn",
      (input: unknown) => caller.auth.signIn(input as never),
      { email: "ada@example.com", password: "x", clientKey: "c" },
    ],
    ["sessions.validate", (input: unknown) => caller.sessions.validate(input as never), { token: "t".repeat(20) }],
    ["addresses.add", (input: unknown) => caller.addresses.add(input as never), { sessionToken: "s".repeat(20), address }],
    [
      "addresses.remove",
      (input: unknown) => caller.addresses.remove(input as never),
      { sessionToken: "s".repeat(20), addressId: "a" },
    ],
  ] as const)(
    "%s answers a typed 4xx, never a crash",
    async (_name, call, shape) => {
      await expectOnlyCallerFaults(call, hostileInput(shape), 100);
    },
    // A budget, not an assertion: every well-formed sign-in costs an scrypt hash and a write
    // transaction, 100 of them on a machine that runs every package's tests at once.
    180_000,
  );

  it("sign-up refuses hostile input without creating accounts it did not accept", async () => {
    const before = await db.user.count();
    let created = 0;
    await expectOnlyCallerFaults(
      async (input) => {
        await caller.auth.signUp(input as never);
        created += 1;
      },
      hostileInput({ email: "new@example.com", password: "correct horse battery", name: "New" }),
      60,
    );
    expect(await db.user.count()).toBe(before + created);
    // The session made before all this still works.
    expect((await caller.sessions.validate({ token })).user.email).toBe("ada@example.com");
  });
});
