// The one Prisma CLI configuration every service uses (migrate deploy / diff, generate).
// The JS schema engine runs migrations in WASM through a driver adapter: no binary download.
// `DATABASE_URL` picks the provider: a `file:` URL (the default) is the authored SQLite schema,
// `postgres://` its generated variant in prisma/postgres (postgres-schema.js) with its own migrations.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { postgresSchemaPath } from "./postgres-schema.js";

/** @param {string} url */
export function isPostgresUrl(url) {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

// Postgres's catalog columns of type `name` (19) and `"char"` (18), which the schema engine reads to
// learn what is migrated, are types `@prisma/adapter-pg` 6.19 maps to no column type, so
// `migrate deploy` fails with "Column type 'name' could not be deserialized" (an open Prisma issue).
// Both are text on the wire: this client labels them text before the adapter looks.
const catalogTextTypes = new Set([18, 19]);
const textType = 25;

/** @param {any} result */
function labelCatalogTypesAsText(result) {
  for (const one of Array.isArray(result) ? result : [result]) {
    for (const field of one?.fields ?? []) if (catalogTextTypes.has(field.dataTypeID)) field.dataTypeID = textType;
  }
  return result;
}

class CatalogAwareClient extends pg.Client {
  /** @type {(config: any, values?: any, callback?: any) => any} */
  query(config, values, callback) {
    if (typeof values === "function") {
      return super.query(config, (/** @type {any} */ error, /** @type {any} */ result) =>
        values(error, result && labelCatalogTypesAsText(result)),
      );
    }
    if (typeof callback === "function") {
      return super.query(config, values, (/** @type {any} */ error, /** @type {any} */ result) =>
        callback(error, result && labelCatalogTypesAsText(result)),
      );
    }
    const pending = super.query(config, values);
    return pending && typeof pending.then === "function" ? pending.then(labelCatalogTypesAsText) : pending;
  }
}

/**
 * The pool the schema engine migrates through. Host, port, user and database are passed one by one,
 * not as a connection string: the adapter makes a shadow database by overriding `database`, which a
 * connection string would win over, pointing the shadow at the real database.
 * @param {string} url
 */
export function migrationPool(url) {
  const parsed = new URL(url);
  return new pg.Pool({
    Client: CatalogAwareClient,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    max: 2,
  });
}

/**
 * @param {string} service the service name; its default database is `.data/<service>.db` in its folder.
 * `MICROSHOP_PRISMA_PROVIDER=postgres` picks the Postgres schema without a database: the services'
 * `generate` script makes both clients that way.
 */
export function servicePrismaConfig(service) {
  let url = process.env.DATABASE_URL ?? `file:${path.resolve(".data", `${service}.db`)}`;
  // Generating needs no database, but the CLI checks the datasource's URL against the provider (and,
  // given a `file:` URL for a Postgres schema, goes looking for a query engine to download).
  if (process.env.MICROSHOP_PRISMA_PROVIDER === "postgres" && !isPostgresUrl(url)) url = "postgres://127.0.0.1/unused";
  process.env.DATABASE_URL = url;
  if (isPostgresUrl(url)) {
    return defineConfig({
      experimental: { adapter: true },
      engine: "js",
      schema: postgresSchemaPath,
      adapter: async () => new PrismaPg(migrationPool(url)),
    });
  }
  // SQLite creates the file but not its folder; a fresh clone has no .data yet.
  if (url.startsWith("file:")) mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });
  return defineConfig({
    experimental: { adapter: true },
    engine: "js",
    schema: path.join("prisma", "schema.prisma"),
    adapter: async () => new PrismaBetterSQLite3({ url }),
  });
}
