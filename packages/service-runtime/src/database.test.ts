import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { containsText, databaseConfigSchema, databaseProvider, databaseProviderOf, databaseUrl } from "./database";

describe("the database a service runs on", () => {
  it("is named by DATABASE_URL's scheme: file: is SQLite, postgres:// (or postgresql://) is Postgres", () => {
    expect(databaseProviderOf("file:/srv/shop/order.db")).toBe("sqlite");
    expect(databaseProviderOf("postgres://shop:pw@127.0.0.1:5532/order")).toBe("postgres");
    expect(databaseProviderOf("postgresql://shop@db/order")).toBe("postgres");
  });

  it("accepts either in the environment, and refuses any other with a message that names both", () => {
    for (const url of ["file:./x.db", "postgres://shop:pw@127.0.0.1:5532/order"]) {
      expect(parseConfig("order", databaseConfigSchema, { DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
    expect(() => parseConfig("order", databaseConfigSchema, { DATABASE_URL: "mysql://db/order" })).toThrow(
      /DATABASE_URL: must be a SQLite file: URL or a postgres:\/\/ URL/,
    );
  });

  it("defaults to the service's SQLite file in DATA_DIR", () => {
    expect(databaseUrl("order", { DATABASE_URL: "postgres://db/order", DATA_DIR: "/nowhere" })).toBe("postgres://db/order");
    expect(databaseUrl("order", { DATA_DIR: tmpdir() })).toBe(`file:${path.join(tmpdir(), "order.db")}`);
  });

  it("searches text without regard to case on both: SQLite's LIKE does so already, Postgres is asked to", () => {
    expect(containsText({}, "Kettle")).toEqual({ contains: "Kettle" });
    expect(databaseProvider({})).toBe("sqlite");
  });
});
