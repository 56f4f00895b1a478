// Charges and refunds share one database connection: a charge's plain writes must never land inside
// a refund's transaction, where that refund's rollback would undo a charge the caller was told about.
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chargeCard } from "./charge";
import { openDb, type Db } from "./db";
import { refundPayment } from "./refund";
import type { Context } from "./trpc";

const serviceDir = fileURLToPath(new URL("..", import.meta.url));

let database: TestDatabase;
let ctx: Context;

beforeAll(async () => {
  database = await createTestDatabase(serviceDir, "payment-writes");
  const db: Db = await openDb(database.url);
  const today = new Date("2026-11-24T12:00:00Z");
  ctx = {
    db,
    logger: pino({ level: "silent" }),
    settings: { latencyMs: 0, slowCardDelayMs: 0 },
    now: () => today,
    leaseOwner: "payment-test",
  };
}, 120_000);

afterAll(async () => {
  await ctx.db.$disconnect();
  database.remove();
});

const card = (number: string) => ({ number, expMonth: 12, expYear: 2030, cvc: "123", holderName: "Ada Lovelace" });

it("keeps every charge made while refunds beside it fail and roll back", async () => {
  await chargeCard(ctx, { idempotencyKey: "declined", amountMinor: 500, currency: "USD", card: card("4000000000000002") }).catch(
    () => undefined,
  );
  const declined = await ctx.db.payment.findUniqueOrThrow({ where: { idempotencyKey: "declined" } });
  const charges = Array.from({ length: 60 }, (_, i) => `charge-${i}`);
  let charging = true;
  let refusedRefunds = 0;
  // Refunds of the declined payment, back to back: each opens a transaction, reads, and is refused.
  const refunding = Array.from({ length: 3 }, async (_, lane) => {
    for (let i = 0; charging; i++) {
      await refundPayment(ctx, { idempotencyKey: `refund-${lane}-${i}`, paymentId: declined.id }).catch(
        () => (refusedRefunds += 1),
      );
    }
  });
  const outcomes: string[] = [];
  for (const key of charges) {
    const payment = await chargeCard(ctx, {
      idempotencyKey: key,
      amountMinor: 1_000,
      currency: "USD",
      card: card("4242424242424242"),
    }).then(
      (charged) => charged.status,
      (error: unknown) => `charge failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    outcomes.push(payment);
  }
  charging = false;
  await Promise.all(refunding);
  expect(refusedRefunds).toBeGreaterThan(0);
  expect(outcomes).toEqual(charges.map(() => "succeeded"));
  const stored = await ctx.db.payment.findMany({ where: { idempotencyKey: { in: charges } }, select: { status: true } });
  expect(stored.map((payment) => payment.status)).toEqual(charges.map(() => "succeeded"));
});
