import path from "node:path";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { hostService } from "@microshop/service-runtime/host";
import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import type { UserRouter } from "@microshop/user-service/router";
import { userService } from "@microshop/user-service/service";
import fc from "fast-check";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { render } from "../templates/render";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);
const logger = pino({ level: "silent" });
const resolver = createServiceResolver({});
const databases: TestDatabase[] = [];
let closeUsers: () => Promise<void>;
let db: Db;
let caller: ReturnType<typeof createCaller>;
let token = "";
let userId = "";

beforeAll(async () => {
  const userDatabase = await createTestDatabase(
    path.resolve(import.meta.dirname, "..", "..", "..", "user"),
    "email-hostile-users",
  );
  databases.push(userDatabase);
  const instance = await hostService(userService, { env: { DATABASE_URL: userDatabase.url }, logger, resolver });
  closeUsers = () => instance.close();
  // A budget, not an assertion: signing up hashes a password (scrypt), slow on a loaded 2-core machine.
  const users = createServiceClient<UserRouter>("user", { resolver, timeoutMs: 30_000 });
  const signedUp = await users.auth.signUp.mutate({ email: "ada@example.com", password: "correct horse battery", name: "Ada" });
  token = signedUp.session.token;
  userId = signedUp.user.id;
  const database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "email-hostile");
  databases.push(database);
  db = await openDb(database.url);
  caller = createCaller({ db, logger, now: () => new Date(), kick: () => undefined, users, version: "1.0.0" });
}, 180_000); // The shared hook budget (build-config): starting services holds on a loaded 2-core machine.

afterAll(async () => {
  await closeUsers();
  await db.$disconnect();
  for (const database of databases) database.remove();
});

describe("hostile input never breaks the email service", () => {
  it("emails.send refuses hostile input without queueing mail it did not accept", async () => {
    let accepted = 0;
    let key = 0;
    await expectOnlyCallerFaults(
      async (input) => {
        key += 1;
        const value =
          input && typeof input === "object" && "idempotencyKey" in input && input.idempotencyKey === "welcome:x"
            ? { ...input, idempotencyKey: `welcome:${key}` }
            : input;
        await caller.emails.send(value as never);
        accepted += 1;
      },
      hostileInput({
        idempotencyKey: "welcome:x",
        to: { email: "ada@example.com", name: "Ada" },
        userId,
        template: "welcome",
        data: { name: "Ada" },
      }),
      120,
    );
    // Each accepted send queued at most one message (a repeated key returns the first).
    expect(await db.emailMessage.count()).toBeLessThanOrEqual(accepted);
  });

  it.each([
    ["emails.byKey", (input: unknown) => caller.emails.byKey(input as never), () => ({ idempotencyKey: "welcome:1" })],
    ["inbox.list", (input: unknown) => caller.inbox.list(input as never), () => ({ sessionToken: token })],
    ["inbox.get", (input: unknown) => caller.inbox.get(input as never), () => ({ sessionToken: token, id: "m" })],
  ] as const)("%s answers a typed 4xx or a result, never a crash", async (_name, call, shape) => {
    await expectOnlyCallerFaults(call, hostileInput(shape()), 100);
  });

  it("renders any name and product as text: markup in the data never reaches the HTML as markup", () => {
    const unescape = (html: string) => html.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), fc.string({ minLength: 1, maxLength: 200 }), (name, product) => {
        const welcome = render({ template: "welcome", data: { name } }).html;
        const title = /<h1[^>]*>(.*?)<\/h1>/s.exec(welcome)?.[1] ?? "";
        expect(title).not.toMatch(/[<>"']/);
        expect(unescape(title)).toBe(`Welcome, ${name}!`);
        const confirmation = render({
          template: "order-confirmation",
          data: {
            orderId: "o1",
            items: [{ name: product, quantity: 1, unitPriceMinor: 100 }],
            totalMinor: 100,
            currency: "USD",
            shippingAddress: { name, line1: product, city: "C", postalCode: "1", country: "GB" },
          },
        }).html;
        const line = /<tr><td>(.*?) × 1<\/td>/s.exec(confirmation)?.[1] ?? "";
        expect(line).not.toMatch(/[<>"']/);
        expect(unescape(line)).toBe(product);
        expect(confirmation).not.toContain("<script");
      }),
      { numRuns: 300 },
    );
  });
});
