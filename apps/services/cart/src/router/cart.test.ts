import path from "node:path";
import { inventoryService } from "@microshop/inventory-service/service";
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import { productService } from "@microshop/product-service/service";
import type { UserRouter } from "@microshop/user-service/router";
import { userService } from "@microshop/user-service/service";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { createServiceClient } from "@microshop/service-client";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { hostService } from "@microshop/service-runtime/host";
import { createTestDatabase, executeOnTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import type { ServiceDefinition, ServiceInstance } from "@microshop/service-runtime/service";
import { TRPCError } from "@trpc/server";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

// The real product and inventory services run in this process (the monolith's local link), each
// on its own seeded test database: the cart is tested against what it will really call.
const servicesDir = path.resolve(import.meta.dirname, "..", "..", "..");
const logger = pino({ level: "silent" });
const created: TestDatabase[] = [];
const started: ServiceInstance<unknown>[] = [];
let productDbUrl: string;
let db: Db;

const seed = (slug: string) => products.find((p) => p.slug === slug)!;
const kettle = seed(fixtures.inStockSlug);
const apron = seed(fixtures.lowStockSlug);
const bowls = seed(fixtures.outOfStockSlug);
const visitor = { kind: "visitor" as const, visitorId: "visitor-aaaa" };
const otherVisitor = { kind: "visitor" as const, visitorId: "visitor-bbbb" };
const user = { kind: "user" as const, sessionToken: "" };

// Nothing listens on port 9: a service that is not hosted here does not answer.
const dead = "http://127.0.0.1:9/trpc";
const resolver = createServiceResolver({ PRODUCT_SERVICE_URLS: dead, INVENTORY_SERVICE_URLS: dead, USER_SERVICE_URLS: dead });
const createCaller = createCallerFactory(appRouter);
// Budgets, not assertions: a service that is down fails at once (nothing listens), while a loaded
// 2-core machine, or a Postgres test cluster's first queries, can hold a real answer for seconds.
const budget = { resolver, timeoutMs: 30_000 };
function caller() {
  const product = createServiceClient<ProductRouter>("product", budget);
  const inventory = createServiceClient<InventoryRouter>("inventory", budget);
  const users = createServiceClient<UserRouter>("user", budget);
  return createCaller({ db, logger, product, inventory, users });
}

async function startLocal(name: "product" | "inventory" | "user") {
  const definition: ServiceDefinition =
    name === "product" ? productService : name === "inventory" ? inventoryService : userService;
  const database = await createTestDatabase(path.join(servicesDir, name), `cart-${name}`);
  created.push(database);
  started.push(await hostService(definition, { env: { DATABASE_URL: database.url }, logger, resolver }));
  return database;
}

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

beforeAll(async () => {
  productDbUrl = (await startLocal("product")).url;
  await startLocal("inventory");
  await startLocal("user");
  const { session } = await createServiceClient<UserRouter>("user", budget).auth.signUp.mutate({
    email: "ada@example.com",
    password: "correct horse battery",
    name: "Ada",
  });
  user.sessionToken = session.token;
  const database = await createTestDatabase(path.resolve(import.meta.dirname, "..", ".."), "cart");
  created.push(database);
  db = await openDb(database.url);
});

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.close()));
  await db.$disconnect();
  for (const database of created) database.remove();
});

beforeEach(async () => {
  await db.cart.deleteMany();
});

describe("cart", () => {
  it("adds products with today's price and adds up the totals", async () => {
    await caller().cart.addItem({ owner: visitor, productId: kettle.id, quantity: 2 });
    const view = await caller().cart.addItem({ owner: visitor, productId: apron.id });
    expect(view).toMatchObject({
      itemCount: 3,
      subtotalMinor: 2 * kettle.priceMinor + apron.priceMinor,
      currency: "USD",
      degraded: false,
    });
    expect(view.lines[0]).toMatchObject({
      productId: kettle.id,
      quantity: 2,
      unitPriceMinor: kettle.priceMinor,
      priceChanged: false,
      product: { slug: kettle.slug, name: kettle.name, image: `/images/products/${kettle.slug}.svg` },
    });
  });

  it("refuses more than the stock, naming what is left", async () => {
    await expect(caller().cart.addItem({ owner: visitor, productId: apron.id, quantity: 4 })).rejects.toThrow(
      `Only 3 of ${apron.name} left`,
    );
    await expect(caller().cart.addItem({ owner: visitor, productId: bowls.id })).rejects.toThrow(`${bowls.name} is out of stock`);
    expect(await code(caller().cart.addItem({ owner: visitor, productId: "prod_ghost" }))).toBe("NOT_FOUND");
    expect((await caller().cart.get({ owner: visitor })).lines).toEqual([]);
  });

  it("shows when a price changed since the item was added", async () => {
    await caller().cart.addItem({ owner: visitor, productId: kettle.id });
    const setPrice = `UPDATE "Product" SET "priceMinor" = ? WHERE "id" = ?`;
    expect(await executeOnTestDatabase(productDbUrl, setPrice, [kettle.priceMinor + 500, kettle.id])).toBe(1);
    try {
      const [line] = (await caller().cart.get({ owner: visitor })).lines;
      expect(line).toMatchObject({
        priceChanged: true,
        addedPriceMinor: kettle.priceMinor,
        unitPriceMinor: kettle.priceMinor + 500,
      });
    } finally {
      await executeOnTestDatabase(productDbUrl, setPrice, [kettle.priceMinor, kettle.id]);
    }
  });

  it("sets, removes and clears lines", async () => {
    await caller().cart.addItem({ owner: visitor, productId: kettle.id });
    await caller().cart.addItem({ owner: visitor, productId: apron.id });
    expect((await caller().cart.setQuantity({ owner: visitor, productId: kettle.id, quantity: 5 })).itemCount).toBe(6);
    expect((await caller().cart.setQuantity({ owner: visitor, productId: kettle.id, quantity: 0 })).itemCount).toBe(1);
    expect((await caller().cart.removeItem({ owner: visitor, productId: apron.id })).lines).toEqual([]);
    await caller().cart.addItem({ owner: visitor, productId: kettle.id });
    expect((await caller().cart.clear({ owner: visitor })).itemCount).toBe(0);
  });

  it("keeps every owner's cart to itself", async () => {
    await caller().cart.addItem({ owner: visitor, productId: kettle.id });
    expect((await caller().cart.get({ owner: otherVisitor })).lines).toEqual([]);
    await caller().cart.removeItem({ owner: otherVisitor, productId: kettle.id });
    expect((await caller().cart.get({ owner: visitor })).itemCount).toBe(1);
  });

  it("merges a visitor's cart into the user's on sign-in, once", async () => {
    await caller().cart.addItem({ owner: user, productId: kettle.id, quantity: 1 });
    await caller().cart.addItem({ owner: visitor, productId: kettle.id, quantity: 2 });
    await caller().cart.addItem({ owner: visitor, productId: apron.id, quantity: 1 });
    const merged = await caller().cart.merge({ visitorId: visitor.visitorId, sessionToken: user.sessionToken });
    expect(merged.lines.map((line) => [line.productId, line.quantity])).toEqual([
      [kettle.id, 3],
      [apron.id, 1],
    ]);
    expect((await caller().cart.get({ owner: visitor })).lines).toEqual([]);
    expect((await caller().cart.merge({ visitorId: visitor.visitorId, sessionToken: user.sessionToken })).itemCount).toBe(4);
  });

  it("refuses malformed owners and quantities", async () => {
    expect(await code(caller().cart.get({ owner: { kind: "visitor", visitorId: "x" } }))).toBe("BAD_REQUEST");
    // @ts-expect-error: a user is named by a session, not by an id the caller picks
    expect(await code(caller().cart.get({ owner: { kind: "user", userId: "someone-else" } }))).toBe("BAD_REQUEST");
    expect(await code(caller().cart.get({ owner: { kind: "user", sessionToken: "forged-session-token" } }))).toBe("UNAUTHORIZED");
    expect(await code(caller().cart.addItem({ owner: visitor, productId: kettle.id, quantity: -1 }))).toBe("BAD_REQUEST");
    expect(await code(caller().cart.addItem({ owner: visitor, productId: kettle.id, quantity: 101 }))).toBe("BAD_REQUEST");
  });
});

describe("when a dependency is down", () => {
  it("shows the cart with the prices as added when the catalog is down, and refuses to add", async () => {
    await caller().cart.addItem({ owner: visitor, productId: kettle.id });
    resolver.unhost("product");
    try {
      const view = await caller().cart.get({ owner: visitor });
      expect(view).toMatchObject({ degraded: true, itemCount: 1, subtotalMinor: kettle.priceMinor });
      expect(view.lines[0]?.product).toBeNull();
      expect(await code(caller().cart.addItem({ owner: visitor, productId: apron.id }))).toBe("SERVICE_UNAVAILABLE");
    } finally {
      await startLocal("product");
    }
  });

  it("refuses to add when stock cannot be checked", async () => {
    resolver.unhost("inventory");
    try {
      await expect(caller().cart.addItem({ owner: visitor, productId: kettle.id })).rejects.toThrow(
        "We can't check stock right now",
      );
    } finally {
      await startLocal("inventory");
    }
  });
});
