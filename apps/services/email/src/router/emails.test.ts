import path from "node:path";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { hostService } from "@microshop/service-runtime/host";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import type { UserRouter } from "@microshop/user-service/router";
import { userService } from "@microshop/user-service/service";
import { TRPCError } from "@trpc/server";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { processOutbox, type OutgoingEmail, type Transport } from "../outbox";
import { escapeHtml, render } from "../templates/render";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);
const resolver = createServiceResolver({});
const serviceDir = path.resolve(import.meta.dirname, "..", "..");
let database: TestDatabase;
let db: Db;
let kicks = 0;
const clock = { now: new Date("2026-06-01T12:00:00Z") };
// A budget, not an assertion: signing up hashes a password (scrypt), and the first queries of a
// Postgres test cluster are slow on a loaded 2-core machine (3 s, the default, was overrun in CI).
const users = createServiceClient<UserRouter>("user", { resolver, timeoutMs: 30_000 });
const caller = () =>
  createCaller({
    db,
    logger: pino({ level: "silent" }),
    now: () => clock.now,
    kick: () => void (kicks += 1),
    version: "1.1.0",
    users,
  });

// The real user service, in this process, tells the inbox whose session a token is.
let userDatabase: TestDatabase;
let closeUsers: () => Promise<void>;
const shoppers: Record<"a" | "b", { id: string; token: string }> = { a: { id: "", token: "" }, b: { id: "", token: "" } };

beforeAll(async () => {
  userDatabase = await createTestDatabase(path.resolve(serviceDir, "..", "user"), "email-users");
  const instance = await hostService(userService, {
    env: { DATABASE_URL: userDatabase.url },
    logger: pino({ level: "silent" }),
    resolver,
  });
  closeUsers = () => instance.close();
  for (const key of ["a", "b"] as const) {
    const { user, session } = await users.auth.signUp.mutate({
      email: `${key}@example.com`,
      password: "correct horse battery",
      name: key,
    });
    shoppers[key] = { id: user.id, token: session.token };
  }
});

afterAll(async () => {
  await closeUsers();
  userDatabase.remove();
});

beforeEach(async () => {
  database = await createTestDatabase(serviceDir, "email");
  db = await openDb(database.url);
  clock.now = new Date("2026-06-01T12:00:00Z");
  kicks = 0;
});
afterEach(async () => {
  await db.$disconnect();
  database.remove();
});

const confirmation = (orderId: string, userId = shoppers.a.id) => ({
  idempotencyKey: `order-confirmation:${orderId}`,
  to: { email: "ada@example.com", name: "Ada" },
  userId,
  template: "order-confirmation" as const,
  data: { orderId, items: [{ name: "Enamel Kettle", quantity: 2, unitPriceMinor: 4900 }], totalMinor: 9800, currency: "USD" },
});

describe("templates", () => {
  it("formats money from minor units and escapes every value", () => {
    const email = render({
      template: "order-confirmation",
      data: {
        orderId: "o1",
        items: [{ name: `<script>alert("x")</script>`, quantity: 1, unitPriceMinor: 123456 }],
        totalMinor: 123456,
        currency: "USD",
      },
    });
    expect(email.subject).toBe("Your Microshop order o1 is confirmed");
    expect(email.html).toContain("$1,234.56");
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain(escapeHtml(`<script>alert("x")</script>`));
    expect(email.text).toContain("Total: $1,234.56");
  });

  it("greets by name", () => {
    expect(render({ template: "welcome", data: { name: "Ada" } }).text).toContain("Welcome, Ada!");
  });
});

describe("emails.send", () => {
  it("queues one message per key, however often it is asked", async () => {
    const first = await caller().emails.send(confirmation("o1"));
    const again = await caller().emails.send(confirmation("o1"));
    expect(again.id).toBe(first.id);
    expect(first.status).toBe("queued");
    expect(kicks).toBe(1);
    const racing = await Promise.all(Array.from({ length: 10 }, () => caller().emails.send(confirmation("o2"))));
    expect(new Set(racing.map((message) => message.id)).size).toBe(1);
    expect(await db.emailMessage.count()).toBe(2);
  });

  it("refuses bad input", async () => {
    const error = await caller()
      .emails.send({ ...confirmation("o1"), to: { email: "nope" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });
});

describe("the outbox", () => {
  const options = { maxAttempts: 3, owner: "email-test" };

  it("delivers queued mail, which then shows in its owner's inbox", async () => {
    const sent: OutgoingEmail[] = [];
    await caller().emails.send(confirmation("o1"));
    const recording: Transport = (email) => {
      sent.push(email);
      return Promise.resolve();
    };
    expect(await processOutbox(db, recording, () => clock.now, options)).toBe(1);
    expect(sent.map((email) => email.toEmail)).toEqual(["ada@example.com"]);
    const [listed] = await caller().inbox.list({ sessionToken: shoppers.a.token });
    expect(listed).toMatchObject({ status: "sent", subject: "Your Microshop order o1 is confirmed", deliveredAt: clock.now });
    const full = await caller().inbox.get({ sessionToken: shoppers.a.token, id: listed!.id });
    expect(full.html).toContain("Enamel Kettle");
    expect(
      await processOutbox(
        db,
        () => Promise.reject(new Error("must not send twice")),
        () => clock.now,
        options,
      ),
    ).toBe(0);
  });

  it("retries a failing transport with growing delays, then gives up", async () => {
    const failing: Transport = () => Promise.reject(new Error("SMTP 421 try later"));
    await caller().emails.send(confirmation("o1"));
    await processOutbox(db, failing, () => clock.now, options);
    let message = await db.emailMessage.findFirstOrThrow();
    expect(message).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "SMTP 421 try later",
      nextAttemptAt: new Date("2026-06-01T12:00:01Z"),
    });
    expect(await processOutbox(db, failing, () => clock.now, options)).toBe(0);
    expect((await db.emailMessage.findFirstOrThrow()).attempts).toBe(1);

    clock.now = new Date("2026-06-01T12:00:01Z");
    await processOutbox(db, failing, () => clock.now, options);
    message = await db.emailMessage.findFirstOrThrow();
    expect(message).toMatchObject({ attempts: 2, nextAttemptAt: new Date("2026-06-01T12:00:03Z") });
    clock.now = new Date("2026-06-01T12:00:03Z");
    await processOutbox(db, failing, () => clock.now, options);
    expect(await db.emailMessage.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 3 });
    expect(await caller().outbox.stats()).toEqual({ queued: 0, sending: 0, sent: 0, failed: 1 });
  });

  // Both passes read the same due list before either claims; only the conditional claim decides.
  it("sends each message once when two processors race", async () => {
    for (let i = 0; i < 10; i++) await caller().emails.send(confirmation(`o${i}`));
    let calls = 0;
    const slow: Transport = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const [a, b] = await Promise.all([
      processOutbox(db, slow, () => clock.now, { ...options, owner: "replica-a" }),
      processOutbox(db, slow, () => clock.now, { ...options, owner: "replica-b" }),
    ]);
    expect(a + b).toBe(10);
    expect(calls).toBe(10);
  });

  // A slow transport: each send takes 50 s of a 60 s lease. Another replica's pass runs during the second send.
  it("claims each message when it is claimed, so a replica's sweep during a long pass leaves it alone", async () => {
    const first = await caller().emails.send(confirmation("o1"));
    const second = await caller().emails.send(confirmation("o2"));
    const sends: string[] = [];
    let otherReplicaSent = -1;
    const slowSmtp: Transport = async (email) => {
      sends.push(email.id);
      clock.now = new Date(clock.now.getTime() + 50_000);
      if (email.id === second.id) {
        otherReplicaSent = await processOutbox(
          db,
          (other) => Promise.resolve(void sends.push(other.id)),
          () => clock.now,
          { ...options, owner: "replica-b", leaseMs: 60_000 },
        );
      }
    };
    expect(await processOutbox(db, slowSmtp, () => clock.now, { ...options, owner: "replica-a", leaseMs: 60_000 })).toBe(2);
    expect(otherReplicaSent).toBe(0);
    expect(sends).toEqual([first.id, second.id]);
  });

  it("re-queues a message whose sender died mid-send", async () => {
    await caller().emails.send(confirmation("o1"));
    await db.emailMessage.updateMany({ data: { status: "sending", claimedAt: clock.now } });
    clock.now = new Date("2026-06-01T12:02:00Z");
    expect(
      await processOutbox(
        db,
        () => Promise.resolve(),
        () => clock.now,
        options,
      ),
    ).toBe(1);
  });
});

describe("the inbox", () => {
  it("shows each session's owner only their own mail, and nothing to a forged session", async () => {
    const message = await caller().emails.send(confirmation("o1", shoppers.a.id));
    expect(await caller().inbox.list({ sessionToken: shoppers.b.token })).toEqual([]);
    const error = await caller()
      .inbox.get({ sessionToken: shoppers.b.token, id: message.id })
      .catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
    const forged = await caller()
      .inbox.list({ sessionToken: "not-a-real-session-token" })
      .catch((e: unknown) => e);
    expect((forged as TRPCError).code).toBe("UNAUTHORIZED");
  });
});

describe("the sender's version", () => {
  it("is named in the footer of a confirmation, so a new version shows in what it sends", async () => {
    const sent = await caller().emails.send(confirmation("o-version"));
    const message = await db.emailMessage.findUniqueOrThrow({ where: { id: sent.id } });
    expect(message.text).toContain("Sent by email service 1.1.0");
    expect(message.html).toContain("Sent by email service 1.1.0");
  });
});
