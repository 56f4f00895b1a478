import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { bffCaller, closedPort, fakeService, useFakeService } from "../testing/fakes";

let stopFake: (() => void) | undefined;
afterEach(() => {
  stopFake?.();
  stopFake = undefined;
});

function fakeInventory(levels: Record<string, number>) {
  return fakeService.router({
    stock: fakeService.router({
      levels: fakeService.procedure.input(z.object({ productIds: z.array(z.string()) })).query(({ input }) =>
        input.productIds
          .filter((id) => id in levels)
          .map((id) => ({
            productId: id,
            onHand: (levels[id] ?? 0) + 1,
            reserved: 1,
            available: levels[id] ?? 0,
          })),
      ),
    }),
  });
}

describe("stock router", () => {
  it("reads levels as in stock, low and out of stock", async () => {
    stopFake = useFakeService("inventory", fakeInventory({ plenty: 20, few: 3, none: 0 }));
    const caller = bffCaller();

    expect(await caller.stock.forProduct({ productId: "few" })).toEqual({
      status: "low",
      available: 3,
      label: "Only 3 left",
    });
    expect(
      await caller.stock.forProducts({
        productIds: ["plenty", "none", "untracked"],
      }),
    ).toEqual([
      {
        productId: "plenty",
        status: "in_stock",
        available: 20,
        label: "In stock",
      },
      {
        productId: "none",
        status: "out_of_stock",
        available: 0,
        label: "Out of stock",
      },
      {
        productId: "untracked",
        status: "out_of_stock",
        available: 0,
        label: "Out of stock",
      },
    ]);
  });

  it("degrades to 'Stock unavailable' when the inventory service is not listening", async () => {
    const port = await closedPort();
    const caller = bffCaller({
      INVENTORY_SERVICE_URLS: `http://127.0.0.1:${port}/trpc`,
    });

    expect(await caller.stock.forProduct({ productId: "prod_enamel-kettle" })).toEqual({
      status: "unavailable",
      available: null,
      label: "Stock unavailable",
    });
    const many = await caller.stock.forProducts({ productIds: ["a", "b"] });
    expect(many.map((entry) => entry.status)).toEqual(["unavailable", "unavailable"]);
  });

  it("degrades when the inventory service never answers within the deadline", async () => {
    const hanging = fakeService.router({
      stock: fakeService.router({
        levels: fakeService.procedure
          .input(z.object({ productIds: z.array(z.string()) }))
          .query(() => new Promise<never>(() => undefined)),
      }),
    });
    stopFake = useFakeService("inventory", hanging);
    const caller = bffCaller({ STOCK_TIMEOUT_MS: "50" });

    expect((await caller.stock.forProduct({ productId: "few" })).status).toBe("unavailable");
  });

  it("rejects an empty product id with a readable message", async () => {
    await expect(bffCaller().stock.forProduct({ productId: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
