import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUp } from "../test-helpers";

let ctx: Awaited<ReturnType<typeof setUp>>;
beforeAll(async () => {
  ctx = await setUp({ kettle: 10 });
});
afterAll(() => ctx.tearDown());

/** A rejected call must leave every row as it was. */
function unchangedWhenRefused(call: (input: unknown) => Promise<unknown>) {
  return async (input: unknown) => {
    const before = JSON.stringify(await ctx.db.stockItem.findMany({ orderBy: { productId: "asc" } }));
    try {
      return await call(input);
    } catch (error) {
      expect(JSON.stringify(await ctx.db.stockItem.findMany({ orderBy: { productId: "asc" } }))).toBe(before);
      throw error;
    }
  };
}

describe("hostile input never breaks the inventory service", () => {
  const valid = { orderId: "o-1", items: [{ productId: "kettle", quantity: 1 }], ttlSeconds: 60 };
  it.each([
    ["reservations.reserve", (input: unknown) => ctx.caller.reservations.reserve(input as never), valid],
    ["reservations.commit", (input: unknown) => ctx.caller.reservations.commit(input as never), { orderId: "o-1" }],
    ["reservations.release", (input: unknown) => ctx.caller.reservations.release(input as never), { orderId: "o-1" }],
    ["stock.restock", (input: unknown) => ctx.caller.stock.restock(input as never), { productId: "kettle", quantity: 1 }],
    ["stock.levels", (input: unknown) => ctx.caller.stock.levels(input as never), { productIds: ["kettle"] }],
  ] as const)("%s answers a typed 4xx, never a crash, and changes nothing when it refuses", async (_name, call, shape) => {
    await expectOnlyCallerFaults(unchangedWhenRefused(call), hostileInput(shape), 120);
  });
});
