// A restock is one statement outside any transaction; reservations are transactions that can fail
// and roll back. On one shared connection the restock must never land inside such a transaction.
import { afterAll, beforeAll, expect, it } from "vitest";
import { restock } from "./stock";
import { openDb } from "./db";
import { expireDue, reserve } from "./reservations";
import { setUp } from "./test-helpers";

let env: Awaited<ReturnType<typeof setUp>>;
beforeAll(async () => {
  env = await setUp({ mug: 0, kettle: 5 });
}, 120_000);
afterAll(() => env.tearDown());

it("keeps every restock made while reservations beside it hold stock and then fail", async () => {
  let restocking = true;
  let failedReservations = 0;
  // Each reservation holds the kettles, then finds no mugs and rolls back.
  const reserving = Array.from({ length: 3 }, async (_, lane) => {
    for (let i = 0; restocking; i++) {
      await reserve(
        env.db,
        {
          orderId: `order-${lane}-${i}`,
          items: [
            { productId: "kettle", quantity: 1 },
            { productId: "mug", quantity: 1_000_000 },
          ],
          ttlSeconds: 60,
        },
        env.clock.now,
      ).catch(() => (failedReservations += 1));
    }
  });
  for (let i = 0; i < 60; i++) await restock(env.db, "kettle", 1);
  restocking = false;
  await Promise.all(reserving);
  expect(failedReservations).toBeGreaterThan(0);
  expect(await env.db.stockItem.findUniqueOrThrow({ where: { productId: "kettle" } })).toMatchObject({ onHand: 65, reserved: 0 });
});

it("releases an expired hold once when two replicas sweep at the same moment", async () => {
  const replica = await openDb(env.database.url);
  try {
    await reserve(env.db, { orderId: "abandoned", items: [{ productId: "kettle", quantity: 2 }], ttlSeconds: 1 }, env.clock.now);
    const later = new Date(env.clock.now.getTime() + 5_000);
    const released = await Promise.all([expireDue(env.db, later), expireDue(replica, later)]);
    expect(released[0] + released[1]).toBe(1);
    expect(await env.db.stockItem.findUniqueOrThrow({ where: { productId: "kettle" } })).toMatchObject({ reserved: 0 });
  } finally {
    await replica.$disconnect();
  }
});
