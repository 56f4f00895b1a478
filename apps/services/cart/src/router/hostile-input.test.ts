import path from "node:path";
import { inventoryService } from "@microshop/inventory-service/service";
import { productService } from "@microshop/product-service/service";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { hostService } from "@microshop/service-runtime/host";
import { expectOnlyCallerFaults, hostileInput } from "@microshop/service-runtime/hostile-input";
import type { ServiceDefinition, ServiceInstance } from "@microshop/service-runtime/service";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import type { UserRouter } from "@microshop/user-service/router";
import { userService } from "@microshop/user-service/service";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

// Real product, inventory and user services in this process: what passes validation meets real code.
const servicesDir = path.resolve(import.meta.dirname, "..", "..", "..");
const logger = pino({ level: "silent" });
const resolver = createServiceResolver({});
const definitions = { user: userService, product: productService, inventory: inventoryService } as const;
const databases: TestDatabase[] = [];
const running: ServiceInstance<unknown>[] = [];
const createCaller = createCallerFactory(appRouter);
let db: Db;
let caller: ReturnType<typeof createCaller>;
let token = "";
const kettle = products.find((p) => p.slug === fixtures.inStockSlug)!;
const bystander = { kind: "visitor" as const, visitorId: "visitor-bystander" };

beforeAll(async () => {
  for (const [name, definition] of Object.entries(definitions) as Array<[keyof typeof definitions, ServiceDefinition]>) {
    const database = await createTestDatabase(path.join(servicesDir, name), `cart-hostile-${name}`);
    databases.push(database);
    running.push(await hostService(definition, { env: { DATABASE_URL: database.url }, logger, resolver }));
  }
  const database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "cart-hostile");
  databases.push(database);
  db = await openDb(database.url);
  // Budgets, not assertions: signing up hashes a password, and a loaded machine holds answers for seconds.
  const budget = { resolver, timeoutMs: 30_000 };
  const product = createServiceClient<ProductRouter>("product", budget);
  const inventory = createServiceClient<InventoryRouter>("inventory", budget);
  const users = createServiceClient<UserRouter>("user", budget);
  caller = createCaller({ db, logger, product, inventory, users });
  token = (await users.auth.signUp.mutate({ email: "ada@example.com", password: "correct horse battery", name: "Ada" })).session
    .token;
  await caller.cart.addItem({ owner: bystander, productId: kettle.id, quantity: 2 });
}, 180_000); // The shared hook budget (build-config): starting services holds on a loaded 2-core machine.

afterAll(async () => {
  await Promise.all(running.map((instance) => instance.close()));
  await db.$disconnect();
  for (const database of databases) database.remove();
});

describe("hostile input never breaks the cart", () => {
  const visitor = { kind: "visitor", visitorId: "visitor-hostile" };
  const user = () => ({ kind: "user", sessionToken: token });

  it.each([
    ["cart.get", (input: unknown) => caller.cart.get(input as never), () => ({ owner: user() })],
    [
      "cart.addItem",
      (input: unknown) => caller.cart.addItem(input as never),
      () => ({ owner: visitor, productId: kettle.id, quantity: 1 }),
    ],
    [
      "cart.setQuantity",
      (input: unknown) => caller.cart.setQuantity(input as never),
      () => ({ owner: user(), productId: kettle.id, quantity: 1 }),
    ],
    [
      "cart.removeItem",
      (input: unknown) => caller.cart.removeItem(input as never),
      () => ({ owner: visitor, productId: kettle.id }),
    ],
    ["cart.clear", (input: unknown) => caller.cart.clear(input as never), () => ({ owner: visitor })],
    [
      "cart.merge",
      (input: unknown) => caller.cart.merge(input as never),
      () => ({ visitorId: "visitor-hostile", sessionToken: token }),
    ],
  ] as const)("%s answers a typed 4xx or a result, never a crash", async (_name, call, shape) => {
    const before = await caller.cart.get({ owner: bystander });
    await expectOnlyCallerFaults(call, hostileInput(shape()), 100);
    // Nothing anyone sent reached a cart it does not own.
    expect(await caller.cart.get({ owner: bystander })).toEqual(before);
  });
});
