import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expireDue } from "../reservations";
import { errorCode, setUp } from "../test-helpers";

let ctx: Awaited<ReturnType<typeof setUp>>;
beforeEach(async () => {
  ctx = await setUp({ kettle: 10, mug: 2, lamp: 0 });
});
afterEach(() => ctx.tearDown());

const available = async (productId: string) => (await ctx.caller.stock.level({ productId })).available;

describe("stock", () => {
  it("reports levels for known products and omits unknown ones", async () => {
    expect(await ctx.caller.stock.levels({ productIds: ["mug", "ghost", "kettle"] })).toEqual([
      { productId: "kettle", onHand: 10, reserved: 0, available: 10 },
      { productId: "mug", onHand: 2, reserved: 0, available: 2 },
    ]);
    expect(await errorCode(ctx.caller.stock.level({ productId: "ghost" }))).toBe("NOT_FOUND");
  });

  it("restocks, and refuses bad quantities", async () => {
    expect(await ctx.caller.stock.restock({ productId: "lamp", quantity: 4 })).toMatchObject({ available: 4 });
    expect(await errorCode(ctx.caller.stock.restock({ productId: "lamp", quantity: 0 }))).toBe("BAD_REQUEST");
    expect(await errorCode(ctx.caller.stock.restock({ productId: "ghost", quantity: 1 }))).toBe("NOT_FOUND");
  });
});

describe("reservations.reserve", () => {
  it("holds stock for an order, merging duplicate lines", async () => {
    const reservation = await ctx.caller.reservations.reserve({
      orderId: "o1",
      items: [
        { productId: "kettle", quantity: 2 },
        { productId: "kettle", quantity: 1 },
        { productId: "mug", quantity: 1 },
      ],
      ttlSeconds: 60,
    });
    expect(reservation).toEqual({
      orderId: "o1",
      status: "held",
      expiresAt: new Date("2026-06-01T12:01:00Z"),
      items: [
        { productId: "kettle", quantity: 3 },
        { productId: "mug", quantity: 1 },
      ],
    });
    expect(await ctx.caller.stock.level({ productId: "kettle" })).toEqual({
      productId: "kettle",
      onHand: 10,
      reserved: 3,
      available: 7,
    });
  });

  it("is all or nothing, and says what is short", async () => {
    const error = await ctx.caller.reservations
      .reserve({
        orderId: "o1",
        items: [
          { productId: "kettle", quantity: 1 },
          { productId: "mug", quantity: 3 },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFLICT", message: "Only 2 left of mug (asked for 3)" });
    expect(await available("kettle")).toBe(10);
    expect(await errorCode(ctx.caller.reservations.get({ orderId: "o1" }))).toBe("NOT_FOUND");
  });

  it("says out of stock, and not found for an unknown product", async () => {
    await expect(ctx.caller.reservations.reserve({ orderId: "o1", items: [{ productId: "lamp", quantity: 1 }] })).rejects.toThrow(
      "lamp is out of stock",
    );
    expect(
      await errorCode(ctx.caller.reservations.reserve({ orderId: "o2", items: [{ productId: "ghost", quantity: 1 }] })),
    ).toBe("NOT_FOUND");
  });

  it("replays the same request without a second hold, and refuses a different one", async () => {
    const request = { orderId: "o1", items: [{ productId: "kettle", quantity: 2 }] };
    const first = await ctx.caller.reservations.reserve(request);
    expect(await ctx.caller.reservations.reserve(request)).toEqual(first);
    expect(await available("kettle")).toBe(8);
    expect(
      await errorCode(ctx.caller.reservations.reserve({ orderId: "o1", items: [{ productId: "kettle", quantity: 3 }] })),
    ).toBe("CONFLICT");
  });

  it.each([
    { orderId: "", items: [{ productId: "kettle", quantity: 1 }] },
    { orderId: "o", items: [] },
    { orderId: "o", items: [{ productId: "kettle", quantity: 0 }] },
    { orderId: "o", items: [{ productId: "kettle", quantity: 1.5 }] },
    { orderId: "o", items: [{ productId: "kettle", quantity: -1 }] },
    { orderId: "o", items: [{ productId: "kettle", quantity: 1 }], ttlSeconds: 5 },
  ])("refuses %o as BAD_REQUEST", async (input) => {
    expect(await errorCode(ctx.caller.reservations.reserve(input))).toBe("BAD_REQUEST");
  });
});

describe("commit and release", () => {
  beforeEach(async () => {
    await ctx.caller.reservations.reserve({ orderId: "o1", items: [{ productId: "kettle", quantity: 3 }], ttlSeconds: 60 });
  });

  it("commit takes the units out of stock for good, once", async () => {
    expect(await ctx.caller.reservations.commit({ orderId: "o1" })).toMatchObject({ status: "committed" });
    expect(await ctx.caller.reservations.commit({ orderId: "o1" })).toMatchObject({ status: "committed" });
    expect(await ctx.caller.stock.level({ productId: "kettle" })).toEqual({
      productId: "kettle",
      onHand: 7,
      reserved: 0,
      available: 7,
    });
    expect(await errorCode(ctx.caller.reservations.release({ orderId: "o1" }))).toBe("CONFLICT");
    expect(await errorCode(ctx.caller.reservations.commit({ orderId: "nope" }))).toBe("NOT_FOUND");
  });

  it("release puts the units back, once, and then commit is refused", async () => {
    expect(await ctx.caller.reservations.release({ orderId: "o1" })).toMatchObject({ status: "released" });
    expect(await ctx.caller.reservations.release({ orderId: "o1" })).toMatchObject({ status: "released" });
    expect(await available("kettle")).toBe(10);
    expect(await errorCode(ctx.caller.reservations.commit({ orderId: "o1" }))).toBe("CONFLICT");
  });

  it("release of an order never reserved blocks a late reserve for it", async () => {
    expect(await ctx.caller.reservations.release({ orderId: "late" })).toMatchObject({ status: "released", items: [] });
    expect(
      await errorCode(ctx.caller.reservations.reserve({ orderId: "late", items: [{ productId: "kettle", quantity: 1 }] })),
    ).toBe("CONFLICT");
    expect(await available("kettle")).toBe(7);
  });
});

describe("expiry", () => {
  it("a hold past its time no longer counts, whether the sweeper or a read finds it first", async () => {
    await ctx.caller.reservations.reserve({ orderId: "swept", items: [{ productId: "kettle", quantity: 4 }], ttlSeconds: 60 });
    await ctx.caller.reservations.reserve({ orderId: "touched", items: [{ productId: "mug", quantity: 2 }], ttlSeconds: 60 });
    expect(await expireDue(ctx.db, ctx.clock.now)).toBe(0);

    ctx.clock.now = new Date("2026-06-01T12:01:00Z");
    expect(await ctx.caller.reservations.get({ orderId: "touched" })).toMatchObject({ status: "expired" });
    expect(await available("mug")).toBe(2);
    expect(await expireDue(ctx.db, ctx.clock.now)).toBe(1);
    expect(await available("kettle")).toBe(10);
    expect(await errorCode(ctx.caller.reservations.commit({ orderId: "swept" }))).toBe("CONFLICT");
  });
});
