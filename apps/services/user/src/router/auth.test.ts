import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { TRPCError } from "@trpc/server";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { hashPassword, verifyPassword } from "../password";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);
let database: TestDatabase;
let db: Db;
const clock = { now: new Date("2026-06-01T12:00:00Z") };
const caller = () => createCaller({ db, logger: pino({ level: "silent" }), now: () => clock.now, sessionTtlHours: 24 });

beforeEach(async () => {
  database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "user");
  db = await openDb(database.url);
  clock.now = new Date("2026-06-01T12:00:00Z");
});
afterEach(async () => {
  await db.$disconnect();
  database.remove();
});

const ada = { email: "Ada@Example.com ", password: "correct horse battery", name: " Ada Lovelace " };

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("sign-up", () => {
  it("creates the account with a normalised email and returns a working session", async () => {
    const { user, session } = await caller().auth.signUp(ada);
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada Lovelace" });
    expect(session.expiresAt).toEqual(new Date("2026-06-02T12:00:00Z"));
    expect((await caller().sessions.validate({ token: session.token })).user.id).toBe(user.id);
    const stored = await db.session.findFirstOrThrow();
    expect(stored.tokenHash).not.toBe(session.token);
  });

  it("refuses a second account for the same email", async () => {
    await caller().auth.signUp(ada);
    const error = await failure(caller().auth.signUp({ ...ada, email: "ada@example.com" }));
    expect(error).toMatchObject({ code: "CONFLICT", message: "An account with this email already exists. Sign in instead?" });
  });

  it("explains bad input field by field", async () => {
    const error = await failure(caller().auth.signUp({ email: "not-an-email", password: "short", name: "" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/email/);
    expect(error.message).toMatch(/password/);
  });
});

describe("sign-up limits", () => {
  it("refuses a client's sign-ups past the hourly limit with the wait, and admits it again after", async () => {
    for (let i = 0; i < 20; i++) await caller().auth.signUp({ ...ada, email: `u${i}@example.com`, clientKey: "10.0.0.7" });
    const limited = await failure(caller().auth.signUp({ ...ada, email: "one-more@example.com", clientKey: "10.0.0.7" }));
    expect(limited).toMatchObject({ code: "TOO_MANY_REQUESTS", message: "Too many attempts; try again in 60 minutes." });
    // The refused sign-up made no account; another client is not affected.
    expect(await db.user.count({ where: { email: "one-more@example.com" } })).toBe(0);
    expect((await caller().auth.signUp({ ...ada, email: "elsewhere@example.com", clientKey: "10.0.0.8" })).user.email).toBe(
      "elsewhere@example.com",
    );
    clock.now = new Date("2026-06-01T13:00:01Z");
    expect((await caller().auth.signUp({ ...ada, email: "one-more@example.com", clientKey: "10.0.0.7" })).user.email).toBe(
      "one-more@example.com",
    );
  });

  it("makes at most the limit of accounts when 50 sign-ups from one client arrive at once", async () => {
    const answers = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        caller().auth.signUp({ ...ada, email: `burst${i}@example.com`, clientKey: "203.0.113.50" }),
      ),
    );
    expect(answers.filter((answer) => answer.status === "fulfilled")).toHaveLength(20);
    expect(await db.user.count()).toBe(20);
  });

  it("counts sign-ups for an existing email too, so probing for accounts is limited", async () => {
    await caller().auth.signUp(ada);
    for (let i = 0; i < 20; i++) await failure(caller().auth.signUp({ ...ada, clientKey: "10.0.0.9" }));
    expect((await failure(caller().auth.signUp({ ...ada, clientKey: "10.0.0.9" }))).code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("sign-in", () => {
  beforeEach(async () => {
    await caller().auth.signUp(ada);
  });

  it("signs in with the right password", async () => {
    const { user } = await caller().auth.signIn({ email: "ADA@example.com", password: ada.password });
    expect(user.email).toBe("ada@example.com");
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const wrong = await failure(caller().auth.signIn({ email: "ada@example.com", password: "nope nope nope" }));
    const unknown = await failure(caller().auth.signIn({ email: "bob@example.com", password: "nope nope nope" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: "Email or password is incorrect" });
    expect(unknown).toMatchObject({ code: "UNAUTHORIZED", message: "Email or password is incorrect" });
  });

  it("refuses the source that failed five times on an account, until the window passes", async () => {
    for (let i = 0; i < 5; i++) await failure(caller().auth.signIn({ email: ada.email, password: "wrong password" }));
    const limited = await failure(caller().auth.signIn({ email: ada.email, password: ada.password }));
    expect(limited).toMatchObject({ code: "TOO_MANY_REQUESTS", message: "Too many attempts; try again in 15 minutes." });
    clock.now = new Date("2026-06-01T12:15:01Z");
    expect((await caller().auth.signIn({ email: ada.email, password: ada.password })).user.email).toBe("ada@example.com");
  });

  it("slows down one client that tries many accounts", async () => {
    for (let i = 0; i < 20; i++)
      await failure(caller().auth.signIn({ email: `x${i}@example.com`, password: "guess guess", clientKey: "10.0.0.9" }));
    expect((await failure(caller().auth.signIn({ ...ada, clientKey: "10.0.0.9" }))).code).toBe("TOO_MANY_REQUESTS");
    expect((await caller().auth.signIn({ ...ada, clientKey: "10.0.0.10" })).user.name).toBe("Ada Lovelace");
  });

  it("lets the owner's right password through from their own client while another client hammers the account", async () => {
    for (let i = 0; i < 5; i++)
      await failure(caller().auth.signIn({ email: ada.email, password: "wrong password", clientKey: "203.0.113.66" }));
    expect((await failure(caller().auth.signIn({ ...ada, clientKey: "203.0.113.66" }))).code).toBe("TOO_MANY_REQUESTS");
    expect((await caller().auth.signIn({ ...ada, clientKey: "198.51.100.7" })).user.email).toBe("ada@example.com");
    // The owner's success does not hand the guesser fresh tries.
    expect(
      (await failure(caller().auth.signIn({ email: ada.email, password: "wrong again", clientKey: "203.0.113.66" }))).code,
    ).toBe("TOO_MANY_REQUESTS");
  });

  it("admits only clients the account knows once it is hammered from many addresses", async () => {
    await caller().auth.signIn({ ...ada, clientKey: "198.51.100.7" });
    for (let client = 0; client < 10; client++) {
      for (let i = 0; i < 5; i++)
        await failure(caller().auth.signIn({ email: ada.email, password: "guess guess", clientKey: `203.0.113.${client}` }));
    }
    expect((await failure(caller().auth.signIn({ ...ada, clientKey: "192.0.2.200" }))).code).toBe("TOO_MANY_REQUESTS");
    expect((await caller().auth.signIn({ ...ada, clientKey: "198.51.100.7" })).user.email).toBe("ada@example.com");
    // A budget, not an assertion: 52 sign-ins, each an scrypt hash, on a machine running every package's tests.
  }, 180_000);

  it("lets at most the limit through when 50 wrong sign-ins arrive at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        failure(caller().auth.signIn({ email: ada.email, password: "parallel guess", clientKey: "203.0.113.9" })),
      ),
    );
    const checked = answers.filter((answer) => answer.code === "UNAUTHORIZED").length;
    expect(checked).toBe(5);
    expect(answers.filter((answer) => answer.code === "TOO_MANY_REQUESTS")).toHaveLength(45);
    expect(await db.signInFailure.count({ where: { clientKey: "203.0.113.9" } })).toBe(5);
  });

  it("forgets an account's failures after a successful sign-in", async () => {
    for (let i = 0; i < 4; i++) await failure(caller().auth.signIn({ email: ada.email, password: "wrong password" }));
    await caller().auth.signIn(ada);
    for (let i = 0; i < 4; i++) await failure(caller().auth.signIn({ email: ada.email, password: "wrong password" }));
    expect((await caller().auth.signIn(ada)).user.email).toBe("ada@example.com");
  });
});

describe("sessions", () => {
  it("ends at sign-out and when it expires", async () => {
    const { session } = await caller().auth.signUp(ada);
    const second = (await caller().auth.signIn(ada)).session;
    await caller().auth.signOut({ token: session.token });
    await caller().auth.signOut({ token: session.token });
    expect((await failure(caller().sessions.validate({ token: session.token }))).code).toBe("UNAUTHORIZED");
    clock.now = new Date("2026-06-02T12:00:00Z");
    expect(await failure(caller().sessions.validate({ token: second.token }))).toMatchObject({
      code: "UNAUTHORIZED",
      message: "Your session has expired. Please sign in again.",
    });
  });
});

describe("passwords", () => {
  it("are stored as salted scrypt hashes with their parameters", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(hash).not.toBe(await hashPassword("correct horse battery"));
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterz", hash)).toBe(false);
    expect(await verifyPassword("anything", "md5$abc")).toBe(false);
  });
});

describe("addresses", () => {
  const home = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "gb" };

  it("belong to the session's owner only", async () => {
    const a = (await caller().auth.signUp(ada)).session.token;
    const b = (await caller().auth.signUp({ ...ada, email: "bob@example.com", name: "Bob" })).session.token;
    const address = await caller().addresses.add({ sessionToken: a, address: home });
    expect(address.country).toBe("GB");
    expect(await caller().addresses.list({ sessionToken: b })).toEqual([]);
    expect((await failure(caller().addresses.remove({ sessionToken: b, addressId: address.id }))).code).toBe("NOT_FOUND");
    expect(await caller().addresses.list({ sessionToken: a })).toHaveLength(1);
    await caller().addresses.remove({ sessionToken: a, addressId: address.id });
    expect(await caller().addresses.list({ sessionToken: a })).toEqual([]);
  });

  it("refuses a forged session and an address with a bad country", async () => {
    const a = (await caller().auth.signUp(ada)).session.token;
    expect((await failure(caller().addresses.list({ sessionToken: "forged-token-forged" }))).code).toBe("UNAUTHORIZED");
    expect((await failure(caller().addresses.add({ sessionToken: a, address: { ...home, country: "Britain" } }))).code).toBe(
      "BAD_REQUEST",
    );
  });
});
