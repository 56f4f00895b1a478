import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { createServiceClient, type TRPCClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { createServiceContext } from "@microshop/service-runtime/context";
import { TRPCClientError } from "@trpc/client";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleInterrupted } from "../charge";
import { openDb, type Db } from "../db";
import { createPaymentService } from "../service";
import type { PaymentRouter } from "./root";

const serviceDir = fileURLToPath(new URL("../..", import.meta.url));
const logger = pino({ level: "silent" });
const today = new Date("2026-11-24T12:00:00Z");
/** The service's clock: fixed at `today`, moved only by a test that crosses an expiry date, which puts it back. */
let clock = today;

let database: TestDatabase;
let server: RunningServer;
let client: TRPCClient<PaymentRouter>;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase(serviceDir, "payment");
  const service = createPaymentService({ now: () => clock });
  const instance = await service.start(
    createServiceContext("payment", {
      env: { DATABASE_URL: database.url, PAYMENT_SLOW_CARD_DELAY_MS: "200", PAYMENT_SETTLE_POLL_MS: "600000" },
      logger,
    }),
  );
  server = await startServer({
    name: "payment",
    host: "127.0.0.1",
    port: 0,
    logger,
    mounts: [{ path: "/trpc", name: "payment", router: service.router, instance }],
  });
  client = createServiceClient<PaymentRouter>("payment", {
    resolver: createServiceResolver({ PAYMENT_SERVICE_URLS: `${server.url}/trpc` }),
    timeoutMs: 30_000,
  });
  db = await openDb(database.url);
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
  database.remove();
});

let keys = 0;
const newKey = () => `key-${++keys}`;

function card(number = "4242 4242 4242 4242", overrides: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) {
  return { number, expMonth: 12, expYear: 2030, cvc: "123", holderName: "Ada Lovelace", ...overrides };
}

function charge(idempotencyKey: string, number?: string, amountMinor = 1_000) {
  return client.payments.charge.mutate({ idempotencyKey, amountMinor, currency: "USD", card: card(number) });
}

async function failure(call: Promise<unknown>): Promise<TRPCClientError<PaymentRouter>> {
  const error = await call.then(
    () => new Error("expected the call to fail"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<PaymentRouter>;
}

const rowsWithKey = (idempotencyKey: string) => db.payment.count({ where: { idempotencyKey } });

describe("payments.charge", () => {
  it("charges a valid card and stores only its brand and last four digits", async () => {
    const key = newKey();
    const payment = await charge(key);
    expect(payment).toMatchObject({
      idempotencyKey: key,
      status: "succeeded",
      amountMinor: 1_000,
      currency: "USD",
      brand: "visa",
      last4: "4242",
      refundedMinor: 0,
    });
    expect(payment.createdAt).toBeInstanceOf(Date);
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.paymentId } });
    expect(JSON.stringify(row)).not.toContain("4242424242424242");
    expect(Object.keys(row)).not.toEqual(expect.arrayContaining(["number"]));
  });

  it("approves any other valid card, an Amex with its 4-digit code included", async () => {
    const payment = await client.payments.charge.mutate({
      idempotencyKey: newKey(),
      amountMinor: 2_500,
      currency: "USD",
      description: "Order 42",
      card: card("3782 822463 10005", { cvc: "1234", expMonth: 11, expYear: 26 }),
    });
    expect(payment).toMatchObject({ brand: "american-express", last4: "0005", status: "succeeded" });
  });

  it.each([
    ["4000 0000 0000 0002", "Your card was declined.", "card_declined"],
    ["4000 0000 0000 9995", "Your card has insufficient funds.", "insufficient_funds"],
  ])("declines test card %s with PAYMENT_REQUIRED and records the decline code", async (number, message, declineCode) => {
    const key = newKey();
    const error = await failure(charge(key, number));
    expect(error.data?.code).toBe("PAYMENT_REQUIRED");
    expect(error.message).toBe(message);
    expect(await client.payments.get.query({ idempotencyKey: key })).toMatchObject({
      status: "declined",
      declineCode,
      last4: number.slice(-4),
    });
  });

  it.each([
    ["a number failing the Luhn check", card("4242 4242 4242 4241"), "Your card number is invalid"],
    ["a Visa with a 4-digit security code", card(undefined, { cvc: "1234" }), "Your card's security code is invalid"],
    ["an Amex with a 3-digit security code", card("378282246310005", { cvc: "123" }), "Your card's security code is invalid"],
    ["a card that expired last month", card(undefined, { expMonth: 10, expYear: 26 }), "Your card has expired"],
  ])("refuses %s with BAD_REQUEST and a field error, charging nothing", async (_, badCard, message) => {
    const key = newKey();
    const error = await failure(
      client.payments.charge.mutate({ idempotencyKey: key, amountMinor: 1_000, currency: "USD", card: badCard }),
    );
    expect(error.data?.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(message);
    const fieldErrors = error.data?.zodError?.fieldErrors as Record<string, string[]> | undefined;
    expect(fieldErrors?.card).toContain(message);
    expect(await rowsWithKey(key)).toBe(0);
  });
});

describe("idempotency", () => {
  it("replays a success: the same payment, charged once", async () => {
    const key = newKey();
    const first = await charge(key);
    expect(await charge(key)).toEqual(first);
    expect(await rowsWithKey(key)).toBe(1);
  });

  it("replays a decline: the same error, recorded once", async () => {
    const key = newKey();
    const first = await failure(charge(key, "4000000000000002"));
    const again = await failure(charge(key, "4000000000000002"));
    expect([again.data?.code, again.message]).toEqual([first.data?.code, first.message]);
    expect(await rowsWithKey(key)).toBe(1);
  });

  it.each([
    ["a different amount", "4242424242424242", 1_001],
    ["a different card", "5555555555554444", 1_000],
  ])("refuses the same key with %s", async (_, number, amountMinor) => {
    const key = newKey();
    await charge(key);
    const error = await failure(charge(key, number, amountMinor));
    expect(error.data?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(error.message).toBe("This idempotency key was already used for a different payment");
  });

  it("charges once when 20 duplicate calls race, and all get the same payment", async () => {
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 20 }, () => charge(key)));
    expect(new Set(results.map((payment) => payment.paymentId)).size).toBe(1);
    expect(await rowsWithKey(key)).toBe(1);
  });

  it("declines once when 20 duplicate calls race, and all get the same decline", async () => {
    const key = newKey();
    const errors = await Promise.all(Array.from({ length: 20 }, () => failure(charge(key, "4000000000009995"))));
    expect(new Set(errors.map((error) => `${error.data?.code} ${error.message}`))).toEqual(
      new Set(["PAYMENT_REQUIRED Your card has insufficient funds."]),
    );
    expect(await rowsWithKey(key)).toBe(1);
  });

  it("makes a retry of a slow charge wait for the first call's result instead of charging again", async () => {
    const key = newKey();
    const first = charge(key, "4000 0000 0000 6975");
    await expect
      .poll(() => db.payment.findUnique({ where: { idempotencyKey: key } }).then((row) => row?.status))
      .toBe("processing");
    expect(await client.payments.get.query({ idempotencyKey: key })).toMatchObject({ status: "processing", declineCode: null });
    const retry = await charge(key, "4000 0000 0000 6975");
    expect(retry).toEqual(await first);
    expect(retry.status).toBe("succeeded");
    expect(await rowsWithKey(key)).toBe(1);
  });

  it("replays a success to a retry made after the card expired, instead of refusing the card", async () => {
    const key = newKey();
    // Good through the end of November 2026, the month `today` is in.
    const expiresThisMonth = {
      idempotencyKey: key,
      amountMinor: 1_800,
      currency: "USD" as const,
      card: card(undefined, { expMonth: 11, expYear: 2026 }),
    };
    const first = await client.payments.charge.mutate(expiresThisMonth);
    clock = new Date("2026-12-01T00:00:05Z");
    try {
      expect(await client.payments.charge.mutate(expiresThisMonth)).toEqual(first);
      // The card really is expired by now: a new charge with it is refused.
      const fresh = await failure(client.payments.charge.mutate({ ...expiresThisMonth, idempotencyKey: newKey() }));
      expect(fresh.data?.code).toBe("BAD_REQUEST");
      expect(fresh.message).toContain("Your card has expired");
    } finally {
      clock = today;
    }
    expect(await rowsWithKey(key)).toBe(1);
  });

  it("replays a decline to a retry made after the card expired: the first answer stands", async () => {
    const key = newKey();
    const expiresThisMonth = {
      idempotencyKey: key,
      amountMinor: 1_800,
      currency: "USD" as const,
      card: card("4000 0000 0000 0002", { expMonth: 11, expYear: 2026 }),
    };
    const first = await failure(client.payments.charge.mutate(expiresThisMonth));
    clock = new Date("2026-12-01T00:00:05Z");
    try {
      const again = await failure(client.payments.charge.mutate(expiresThisMonth));
      expect([again.data?.code, again.message]).toEqual([first.data?.code, first.message]);
    } finally {
      clock = today;
    }
  });

  it("settles charges a stopped process left processing, with the answer recorded at acceptance", async () => {
    const row = { amountMinor: 100, currency: "USD", brand: "visa", last4: "0002", status: "processing" };
    await db.payment.create({ data: { ...row, id: "pay_cut_decline", idempotencyKey: newKey(), declineCode: "card_declined" } });
    await db.payment.create({ data: { ...row, id: "pay_cut_success", idempotencyKey: newKey() } });
    expect(await settleInterrupted(db, new Date())).toBe(2);
    const settled = await db.payment.findMany({
      where: { id: { in: ["pay_cut_decline", "pay_cut_success"] } },
      orderBy: { id: "asc" },
    });
    expect(settled.map((payment) => payment.status)).toEqual(["declined", "succeeded"]);
  });

  it("leaves alone a charge another replica is still settling, until its lease runs out", async () => {
    const now = new Date();
    const inFlight = {
      amountMinor: 100,
      currency: "USD",
      brand: "visa",
      last4: "4242",
      status: "processing",
      leaseOwner: "other-replica",
    };
    await db.payment.create({
      data: { ...inFlight, id: "pay_in_flight", idempotencyKey: newKey(), leaseExpiresAt: new Date(now.getTime() + 60_000) },
    });
    await settleInterrupted(db, now);
    expect(await db.payment.findUniqueOrThrow({ where: { id: "pay_in_flight" } })).toMatchObject({ status: "processing" });
    await settleInterrupted(db, new Date(now.getTime() + 120_000));
    expect(await db.payment.findUniqueOrThrow({ where: { id: "pay_in_flight" } })).toMatchObject({ status: "succeeded" });
  });
});

describe("payments.refund", () => {
  it("refunds partially, replays by refund key, then refunds the rest and no more", async () => {
    const payment = await charge(newKey());
    const refundKey = newKey();
    const partial = await client.payments.refund.mutate({
      idempotencyKey: refundKey,
      paymentId: payment.paymentId,
      amountMinor: 400,
    });
    expect(partial).toMatchObject({ paymentId: payment.paymentId, amountMinor: 400, currency: "USD" });
    expect(
      await client.payments.refund.mutate({ idempotencyKey: refundKey, paymentId: payment.paymentId, amountMinor: 400 }),
    ).toEqual(partial);

    const over = await failure(
      client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: payment.paymentId, amountMinor: 601 }),
    );
    expect(over.data?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(over.message).toContain("only 600 of this payment");

    const rest = await client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: payment.paymentId });
    expect(rest.amountMinor).toBe(600);
    const done = await failure(client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: payment.paymentId }));
    expect([done.data?.code, done.message]).toEqual(["UNPROCESSABLE_CONTENT", "This payment has already been refunded in full"]);
    expect(await client.payments.get.query({ idempotencyKey: payment.idempotencyKey })).toMatchObject({ refundedMinor: 1_000 });
  });

  it("refuses a refund key reused for a different amount", async () => {
    const payment = await charge(newKey());
    const refundKey = newKey();
    await client.payments.refund.mutate({ idempotencyKey: refundKey, paymentId: payment.paymentId, amountMinor: 100 });
    const error = await failure(
      client.payments.refund.mutate({ idempotencyKey: refundKey, paymentId: payment.paymentId, amountMinor: 200 }),
    );
    expect([error.data?.code, error.message]).toEqual([
      "UNPROCESSABLE_CONTENT",
      "This idempotency key was already used for a different refund",
    ]);
  });

  it("never refunds more than was charged when refunds race", async () => {
    const payment = await charge(newKey());
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: payment.paymentId, amountMinor: 300 }),
      ),
    );
    const refunded = attempts.filter((attempt) => attempt.status === "fulfilled").length * 300;
    expect(refunded).toBeGreaterThan(0);
    expect(refunded).toBeLessThanOrEqual(1_000);
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.paymentId } });
    expect(row.refundedMinor).toBe(refunded);
  });

  it("refuses to refund a declined payment (CONFLICT) or an unknown one (NOT_FOUND)", async () => {
    const key = newKey();
    await failure(charge(key, "4000000000000002"));
    const declined = await client.payments.get.query({ idempotencyKey: key });
    const conflict = await failure(client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: declined.paymentId }));
    expect(conflict.data?.code).toBe("CONFLICT");
    const missing = await failure(client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: "pay_nope" }));
    expect(missing.data?.code).toBe("NOT_FOUND");
  });
});

describe("payments.void", () => {
  it("voids a key never charged, so a charge arriving later is refused and takes nothing", async () => {
    const key = newKey();
    const before = await client.payments.ledger.query();
    expect(await client.payments.void.mutate({ idempotencyKey: key })).toMatchObject({
      idempotencyKey: key,
      status: "voided",
      amountMinor: 0,
    });
    expect(await client.payments.void.mutate({ idempotencyKey: key })).toMatchObject({ status: "voided" });

    const late = await failure(charge(key));
    expect([late.data?.code, late.message]).toEqual([
      "PRECONDITION_FAILED",
      "This payment was cancelled before it was charged; nothing was taken. Start again with a new idempotency key",
    ]);
    expect(await client.payments.ledger.query()).toEqual(before);
    expect(await rowsWithKey(key)).toBe(1);
    const refund = await failure(
      client.payments.refund.mutate({
        idempotencyKey: newKey(),
        paymentId: (await client.payments.get.query({ idempotencyKey: key })).paymentId,
      }),
    );
    expect(refund.data?.code).toBe("CONFLICT");
  });

  it("leaves a key already charged as it is, and says so", async () => {
    const key = newKey();
    const payment = await charge(key);
    expect(await client.payments.void.mutate({ idempotencyKey: key })).toMatchObject({
      paymentId: payment.paymentId,
      status: "succeeded",
      amountMinor: 1_000,
    });
    expect(await charge(key)).toEqual(payment);
  });

  it("lets exactly one of a void and a charge racing for one key win, and both agree which", async () => {
    const key = newKey();
    const [voided, charged] = await Promise.all([
      client.payments.void.mutate({ idempotencyKey: key }),
      charge(key).catch((error: unknown) => error),
    ]);
    if (voided.status === "voided") expect((charged as TRPCClientError<PaymentRouter>).data?.code).toBe("PRECONDITION_FAILED");
    else expect(charged).toMatchObject({ paymentId: voided.paymentId, status: "succeeded" });
    expect(await rowsWithKey(key)).toBe(1);
  });
});

describe("payments.get and payments.ledger", () => {
  it("answers NOT_FOUND for a key never charged", async () => {
    expect((await failure(client.payments.get.query({ idempotencyKey: "never-used" }))).data?.code).toBe("NOT_FOUND");
  });

  it("counts succeeded charges and refunds, not declines", async () => {
    const before = await client.payments.ledger.query();
    const payment = await charge(newKey(), undefined, 1_500);
    await failure(charge(newKey(), "4000000000000002", 700));
    await client.payments.refund.mutate({ idempotencyKey: newKey(), paymentId: payment.paymentId, amountMinor: 250 });
    expect(await client.payments.ledger.query()).toEqual({
      chargedMinor: before.chargedMinor + 1_500,
      refundedMinor: before.refundedMinor + 250,
      payments: before.payments + 1,
    });
  });
});

describe("configuration", () => {
  it("refuses a negative latency at start-up, naming the variable", async () => {
    const start = createPaymentService().start(
      createServiceContext("payment", { env: { DATABASE_URL: database.url, PAYMENT_LATENCY_MS: "-5" }, logger }),
    );
    await expect(start).rejects.toThrow(/PAYMENT_LATENCY_MS/);
  });
});
