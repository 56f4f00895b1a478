import path from "node:path";
import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import { createServiceContext } from "@microshop/service-runtime/context";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPaymentService } from "../service";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);
let database: TestDatabase;
let caller: ReturnType<typeof createCaller>;
let close: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "payment-hostile");
  const instance = await createPaymentService({ now: () => new Date("2026-11-24T12:00:00Z") }).start(
    createServiceContext("payment", {
      env: { DATABASE_URL: database.url, PAYMENT_SLOW_CARD_DELAY_MS: "0" },
      logger: pino({ level: "silent" }),
    }),
  );
  caller = createCaller(await instance.createContext({ headers: {} }));
  close = () => instance.close();
});
afterAll(async () => {
  await close();
  database.remove();
});

describe("hostile input never breaks the card processor", () => {
  const card = { number: "4000 0000 0000 0002", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" };
  it("charge and refund answer a typed 4xx (or a decline), never a crash, and never move money on a refusal", async () => {
    const before = await caller.payments.ledger();
    await expectOnlyCallerFaults(
      (input) => caller.payments.charge(input as never),
      hostileInput({ idempotencyKey: "k", amountMinor: 100, currency: "USD", card }),
      120,
    );
    await expectOnlyCallerFaults(
      (input) => caller.payments.refund(input as never),
      hostileInput({ idempotencyKey: "r", paymentId: "p", amountMinor: 1 }),
      80,
    );
    // The only card any generated charge could use declines: whatever passed validation, no money moved.
    expect(await caller.payments.ledger()).toEqual(before);
  });
});
