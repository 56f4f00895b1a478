import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import { TRPCError } from "@trpc/server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../db";
import { createCallerFactory } from "../trpc";
import { appRouter } from "./root";

const serviceDir = path.resolve(import.meta.dirname, "..", "..");
let database: TestDatabase;
let db: Db;
const createCaller = createCallerFactory(appRouter);
let caller: ReturnType<typeof createCaller>;

const product = (
  id: string,
  name: string,
  priceMinor: number,
  categoryId: string,
  description = `${name}, made well.`,
  createdAt = new Date("2026-01-01"),
) => ({
  id,
  slug: id,
  name,
  description,
  priceMinor,
  images: [`/images/products/${id}.svg`],
  attributes: { colour: "Sage" },
  categoryId,
  createdAt,
});

beforeAll(async () => {
  database = await createTestDatabase(serviceDir, "product-catalog");
  db = await openDb(database.url);
  await db.category.createMany({
    data: [
      { id: "cat_kitchen", slug: "kitchen", name: "Kitchen", description: "Cook." },
      { id: "cat_desk", slug: "desk", name: "Desk", description: "Write." },
    ],
  });
  await db.product.createMany({
    data: [
      product("kettle", "Enamel Kettle", 4900, "cat_kitchen"),
      product("pot", "Cast Iron Pot", 8900, "cat_kitchen", "Pairs with any kettle you own.", new Date("2026-03-01")),
      product("mug", "Stoneware Mug", 1800, "cat_kitchen"),
      product("notebook", "Dot Grid Notebook", 1400, "cat_desk", "Lies flat.", new Date("2026-02-01")),
      product("pen", "Brass Pen", 3200, "cat_desk"),
    ],
  });
  caller = createCaller({ db, logger: pino({ level: "silent" }) });
});

afterAll(async () => {
  await db.$disconnect();
  database.remove();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe("catalog.categories", () => {
  it("lists categories by name with their product counts", async () => {
    expect(await caller.catalog.categories()).toEqual([
      { id: "cat_desk", slug: "desk", name: "Desk", description: "Write.", productCount: 2 },
      { id: "cat_kitchen", slug: "kitchen", name: "Kitchen", description: "Cook.", productCount: 3 },
    ]);
  });

  it("finds one category or says NOT_FOUND", async () => {
    expect(await caller.catalog.category({ slug: "desk" })).toMatchObject({ name: "Desk" });
    expect(await codeOf(caller.catalog.category({ slug: "garden" }))).toBe("NOT_FOUND");
  });
});

describe("catalog.search", () => {
  it("matches names case-insensitively and ranks name matches before description matches", async () => {
    const result = await caller.catalog.search({ q: "KETTLE" });
    expect(result.items.map((item) => item.slug)).toEqual(["kettle", "pot"]);
    expect(result.total).toBe(2);
  });

  it("matches the category name", async () => {
    const result = await caller.catalog.search({ q: "desk", sort: "name" });
    expect(result.items.map((item) => item.slug)).toEqual(["pen", "notebook"]);
  });

  it("filters by category and rejects an unknown one", async () => {
    const result = await caller.catalog.search({ categorySlug: "desk" });
    expect(result.items.every((item) => item.category.slug === "desk")).toBe(true);
    expect(result.total).toBe(2);
    expect(await codeOf(caller.catalog.search({ categorySlug: "garden" }))).toBe("NOT_FOUND");
  });

  it("pages through results with a correct page count", async () => {
    const first = await caller.catalog.search({ pageSize: 2, sort: "name" });
    const last = await caller.catalog.search({ pageSize: 2, page: 3, sort: "name" });
    expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2, pageCount: 3 });
    expect(first.items.map((item) => item.slug)).toEqual(["pen", "pot"]);
    expect(last.items.map((item) => item.slug)).toEqual(["mug"]);
  });

  it("pages across the two relevance groups without repeats", async () => {
    const seen = [];
    for (let page = 1; page <= 2; page++) {
      const result = await caller.catalog.search({ q: "kettle", pageSize: 1, page });
      seen.push(...result.items.map((item) => item.slug));
    }
    expect(seen).toEqual(["kettle", "pot"]);
  });

  it.each([
    ["price-asc", ["notebook", "mug", "pen", "kettle", "pot"]],
    ["price-desc", ["pot", "kettle", "pen", "mug", "notebook"]],
    ["newest", ["pot", "notebook"]],
  ] as const)("sorts by %s", async (sort, expectedStart) => {
    const result = await caller.catalog.search({ sort });
    expect(result.items.map((item) => item.slug).slice(0, expectedStart.length)).toEqual(expectedStart);
  });

  it.each([{ pageSize: 0 }, { pageSize: 49 }, { page: 0 }, { q: "x".repeat(101) }, { page: 1.5 }])(
    "refuses %o as BAD_REQUEST",
    async (input) => {
      expect(await codeOf(caller.catalog.search(input))).toBe("BAD_REQUEST");
    },
  );

  it("returns summaries with the image path and category", async () => {
    const [item] = (await caller.catalog.search({ q: "brass" })).items;
    expect(item).toEqual({
      id: "pen",
      slug: "pen",
      name: "Brass Pen",
      priceMinor: 3200,
      currency: "USD",
      image: "/images/products/pen.svg",
      category: { slug: "desk", name: "Desk" },
    });
  });
});

describe("catalog.bySlug, byIds, featured", () => {
  it("returns a product's full detail with parsed attributes", async () => {
    expect(await caller.catalog.bySlug({ slug: "mug" })).toMatchObject({
      name: "Stoneware Mug",
      images: ["/images/products/mug.svg"],
      attributes: { colour: "Sage" },
      category: { slug: "kitchen", name: "Kitchen" },
    });
  });

  it("says NOT_FOUND for an unknown slug and BAD_REQUEST for an empty one", async () => {
    expect(await codeOf(caller.catalog.bySlug({ slug: "nope" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.catalog.bySlug({ slug: "  " }))).toBe("BAD_REQUEST");
  });

  it("returns only the ids that exist", async () => {
    const items = await caller.catalog.byIds({ ids: ["pen", "ghost", "mug"] });
    expect(items.map((item) => item.id).sort()).toEqual(["mug", "pen"]);
    expect(await codeOf(caller.catalog.byIds({ ids: [] }))).toBe("BAD_REQUEST");
  });

  it("features products from every category in turn", async () => {
    const featured = await caller.catalog.featured({ limit: 4 });
    expect(featured.map((item) => item.category.slug)).toEqual(["desk", "kitchen", "desk", "kitchen"]);
    expect(await codeOf(caller.catalog.featured({ limit: 25 }))).toBe("BAD_REQUEST");
  });
});
