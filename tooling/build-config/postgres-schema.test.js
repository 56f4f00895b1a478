// Every service's committed Postgres schema is what the generator makes of its authored SQLite
// schema today: an edit to one without `pnpm db:postgres` fails here, not on a Postgres database.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresSchemaPath, postgresVariant } from "./postgres-schema.js";

const servicesDir = path.resolve(import.meta.dirname, "..", "..", "apps", "services");
const withSchema = readdirSync(servicesDir).filter((name) => existsSync(path.join(servicesDir, name, "prisma", "schema.prisma")));

const authored = `generator client {
  provider   = "prisma-client"
  output     = "../src/generated/prisma"
}

datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}

model Note {
  id   String @id
  /// provider = "sqlite" in a comment stays as written
  text String
}
`;

describe("postgresVariant", () => {
  it("changes the datasource's provider and the client's folder, and nothing else", () => {
    const variant = postgresVariant(authored);
    expect(variant).toMatch(/datasource db \{\n {2}provider = "postgresql"/);
    expect(variant).toContain('output     = "../../src/generated/postgres"');
    expect(variant).toContain('/// provider = "sqlite" in a comment stays as written');
    expect(variant.endsWith(authored.slice(authored.indexOf("model Note")))).toBe(true);
    expect(variant).toMatch(/^\/\/ GENERATED from \.\.\/schema\.prisma/);
  });

  it("refuses a schema that is not the SQLite one it derives from", () => {
    expect(() => postgresVariant(authored.replace('"sqlite"', '"mysql"'))).toThrow(/provider = "sqlite"/);
    expect(() => postgresVariant(authored.replace("../src/generated/prisma", "./client"))).toThrow(/output/);
  });
});

describe("each service's committed Postgres schema", () => {
  it("covers every service with a database", () => {
    expect(withSchema.sort()).toEqual(["cart", "email", "inventory", "order", "payment", "product", "user"]);
  });

  it.each(withSchema)("%s: is up to date with its authored schema (else run `pnpm db:postgres <name>` there)", (service) => {
    const dir = path.join(servicesDir, service);
    const expected = postgresVariant(readFileSync(path.join(dir, "prisma", "schema.prisma"), "utf8"));
    expect(readFileSync(path.join(dir, postgresSchemaPath), "utf8")).toBe(expected);
    expect(readdirSync(path.join(dir, "prisma", "postgres", "migrations")).some((entry) => entry.endsWith("_init"))).toBe(true);
  });
});
