import path from "node:path";
import { emailService } from "@microshop/email-service/service";
import { inventoryService } from "@microshop/inventory-service/service";
import { paymentService } from "@microshop/payment-service/service";
import { productService } from "@microshop/product-service/service";
import { userService } from "@microshop/user-service/service";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { createServiceContext } from "@microshop/service-runtime/context";
import { hostService } from "@microshop/service-runtime/host";
import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import type { ServiceDefinition, ServiceInstance } from "@microshop/service-runtime/service";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderConfigSchema } from "../config";
import { openDb, type Db } from "../db";
import { createDownstream } from "../downstream";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

// The real services the saga calls run in this process, so a hostile input that passes validation
// meets real code: it must still end as a typed 4xx, and move no stock and no money.
const servicesDir = path.resolve(import.meta.dirname, "..", "..", "..");
const logger = pino({ level: "silent" });
const resolver = createServiceResolver({});
const definitions = {
  user: userService,
  product: productService,
  inventory: inventoryService,
  payment: paymentService,
  email: emailService,
} as const;
const databases: TestDatabase[] = [];
const running: ServiceInstance<unknown>[] = [];
let db: Db;
const createCaller = createCallerFactory(appRouter);
let caller: ReturnType<typeof createCaller>;
let downstream: ReturnType<typeof createDownstream>;
let token = "";

// Five services and their migrations on a busy 2-core machine: a generous budget.
beforeAll(async () => {
  const entries = Object.entries(definitions) as Array<[keyof typeof definitions, ServiceDefinition]>;
  // Their migrations at once (each is a child process), then the services one by one.
  const prepared = await Promise.all(
    entries.map(([name]) => createTestDatabase(path.join(servicesDir, name), `order-hostile-${name}`)),
  );
  databases.push(...prepared);
  for (const [index, [, definition]] of entries.entries()) {
    const database = prepared[index]!;
    const env = {
      DATABASE_URL: database.url,
      OUTBOX_POLL_MS: "600000",
      RESERVATION_SWEEP_MS: "600000",
      PAYMENT_SLOW_CARD_DELAY_MS: "0",
    };
    running.push(await hostService(definition, { env, logger, resolver }));
  }
  const database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "order-hostile");
  databases.push(database);
  db = await openDb(database.url);
  const config = orderConfigSchema.parse({
    // Budgets, not assertions: in-process answers can wait seconds on a loaded 2-core machine.
    DOWNSTREAM_TIMEOUT_MS: "30000",
    PAYMENT_TIMEOUT_MS: "30000",
    CHECKOUT_LIMIT_PER_ACCOUNT: "10000",
  });
  downstream = createDownstream(createServiceContext("order", { env: {}, logger, resolver }).client, config);
  caller = createCaller({
    db,
    logger,
    downstream,
    now: () => new Date(),
    kick: () => undefined,
    paymentAttempts: 1,
    checkoutLimit: { perAccount: 10_000, windowMs: 60_000 },
    leaseOwner: "order-test",
    sagaLeaseMs: 15_000,
  });
  token = (
    await downstream.users.auth.signUp.mutate({ email: "ada@example.com", password: "correct horse battery", name: "Ada" })
  ).session.token;
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((instance) => instance.close()));
  await db.$disconnect();
  for (const database of databases) database.remove();
});

describe("hostile input never breaks the order service", () => {
  const kettle = products.find((p) => p.slug === fixtures.inStockSlug)!;

  it("orders.place answers a typed 4xx (or a declined order), and moves no stock and no money", async () => {
    const stock = () => downstream.inventory.stock.level.query({ productId: kettle.id });
    const before = { stock: await stock(), ledger: await downstream.payment.payments.ledger.query() };
    let checkout = 0;
    // The only card any generated order could use declines, so whatever passes validation ends unpaid.
    await expectOnlyCallerFaults(
      (input) => {
        checkout += 1;
        const value =
          input && typeof input === "object" && "checkoutKey" in input && input.checkoutKey === "checkout-key"
            ? { ...input, checkoutKey: `checkout-key-${checkout}` }
            : input;
        return caller.orders.place(value as never);
      },
      hostileInput({
        checkoutKey: "checkout-key",
        sessionToken: token,
        shippingAddress: { name: "Ada", line1: "1 Road", city: "London", postalCode: "N1", country: "GB" },
        items: [{ productId: kettle.id, quantity: 1 }],
        card: { number: "4000 0000 0000 0002", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" },
      }),
      80,
    );
    expect(await downstream.payment.payments.ledger.query()).toEqual(before.ledger);
    expect((await stock()).available).toBe(before.stock.available);
    expect(await db.order.count({ where: { status: "paid" } })).toBe(0);
  });

  it.each([
    ["orders.list", (input: unknown) => caller.orders.list(input as never), () => ({ sessionToken: token })],
    ["orders.get", (input: unknown) => caller.orders.get(input as never), () => ({ sessionToken: token, orderId: "o" })],
    [
      "orders.byCheckoutKey",
      (input: unknown) => caller.orders.byCheckoutKey(input as never),
      () => ({ sessionToken: token, checkoutKey: "checkout-key" }),
    ],
  ] as const)("%s answers a typed 4xx or a result, never a crash", async (_name, call, shape) => {
    await expectOnlyCallerFaults(call, hostileInput(shape()), 100);
  });
});
