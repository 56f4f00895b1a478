import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { startServer } from "@microshop/service-runtime/server";
import { TRPCClientError } from "@trpc/client";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { InventoryRouter } from "./root";
import { appRouter } from "./root";
import { setUp } from "../test-helpers";

let ctx: Awaited<ReturnType<typeof setUp>>;
beforeAll(async () => {
  ctx = await setUp({ last: 5, other: 100 });
});
afterAll(() => ctx.tearDown());

it("never oversells: 50 shoppers over HTTP race for the last 5 units, exactly 5 win", async () => {
  const logger = pino({ level: "silent" });
  const server = await startServer({
    name: "inventory",
    host: "127.0.0.1",
    port: 0,
    logger,
    mounts: [
      {
        path: "/trpc",
        name: "inventory",
        router: appRouter,
        instance: {
          createContext: () => Promise.resolve({ db: ctx.db, logger, now: () => new Date() }),
          checkReady: () => Promise.resolve(),
          close: () => Promise.resolve(),
        },
      },
    ],
  });
  try {
    const client = createServiceClient<InventoryRouter>("inventory", {
      resolver: createServiceResolver({ INVENTORY_SERVICE_URLS: `${server.url}/trpc` }),
      timeoutMs: 30_000,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        client.reservations.reserve.mutate({ orderId: `order-${i}`, items: [{ productId: "last", quantity: 1 }] }),
      ),
    );
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(won).toHaveLength(5);
    expect(lost).toHaveLength(45);
    for (const { reason } of lost) {
      expect(reason).toBeInstanceOf(TRPCClientError);
      expect((reason as TRPCClientError<InventoryRouter>).data?.code).toBe("CONFLICT");
    }
    expect(await client.stock.level.query({ productId: "last" })).toEqual({
      productId: "last",
      onHand: 5,
      reserved: 5,
      available: 0,
    });
  } finally {
    await server.close();
  }
});

// Two processes on one file are serialised by SQLite's write lock (see writeTransaction); that race
// needs two event loops, so it is exercised with real processes, not two clients in this one.
it("the database itself refuses a negative or oversold row", async () => {
  await expect(ctx.db.$executeRaw`UPDATE "StockItem" SET "reserved" = "onHand" + 1 WHERE "productId" = 'other'`).rejects.toThrow(
    /CHECK|constraint/i,
  );
  await expect(ctx.db.$executeRaw`UPDATE "StockItem" SET "reserved" = -1 WHERE "productId" = 'other'`).rejects.toThrow(
    /CHECK|constraint/i,
  );
});
