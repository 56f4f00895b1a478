// The one Prisma CLI configuration every service uses (migrate deploy / diff, generate).
// The JS schema engine runs migrations in WASM through the SQLite driver adapter: no binary download.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

/** @param {string} service the service name; its default database is `.data/<service>.db` in its folder */
export function servicePrismaConfig(service) {
  const url = process.env.DATABASE_URL ?? `file:${path.resolve(".data", `${service}.db`)}`;
  process.env.DATABASE_URL = url;
  // SQLite creates the file but not its folder; a fresh clone has no .data yet.
  if (url.startsWith("file:")) mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });
  return defineConfig({
    experimental: { adapter: true },
    engine: "js",
    schema: path.join("prisma", "schema.prisma"),
    adapter: async () => new PrismaBetterSQLite3({ url }),
  });
}
