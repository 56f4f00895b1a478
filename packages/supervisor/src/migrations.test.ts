import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, type MigrationTarget } from "./migrations";
import { tempDir } from "./test-fixtures/fake-stack";

let work: string;
let target: MigrationTarget;
const runs = () => readFileSync(path.join(work, "runs.log"), "utf8").trim().split("\n").length;

beforeEach(() => {
  work = tempDir("migrate");
  const serviceDir = path.join(work, "service");
  mkdirSync(path.join(serviceDir, "prisma", "migrations", "001_init"), { recursive: true });
  writeFileSync(path.join(serviceDir, "prisma", "migrations", "001_init", "migration.sql"), "CREATE TABLE a (id INTEGER);");
  // Stands in for the Prisma CLI: records each run and creates the database file like it would.
  const prismaBin = path.join(work, "fake-prisma");
  writeFileSync(prismaBin, `#!/bin/sh\necho "$PWD $*" >> "${work}/runs.log"\ntouch "\${DATABASE_URL#file:}"\n`);
  chmodSync(prismaBin, 0o755);
  target = { service: "demo", serviceDir, databaseFile: path.join(work, "data", "demo.db"), prismaBin };
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("migrateDatabase", () => {
  it("runs prisma migrate deploy in the service folder, then skips it while the stamp matches", async () => {
    expect(await migrateDatabase(target)).toBe("applied");
    expect(readFileSync(path.join(work, "runs.log"), "utf8")).toBe(`${target.serviceDir} migrate deploy\n`);

    expect(await migrateDatabase(target)).toBe("up to date");
    expect(runs()).toBe(1);
  });

  it("runs again when a migration is added or the database file is gone", async () => {
    await migrateDatabase(target);
    mkdirSync(path.join(target.serviceDir, "prisma", "migrations", "002_more"));
    writeFileSync(
      path.join(target.serviceDir, "prisma", "migrations", "002_more", "migration.sql"),
      "CREATE TABLE b (id INTEGER);",
    );
    expect(await migrateDatabase(target)).toBe("applied");

    rmSync(target.databaseFile);
    expect(await migrateDatabase(target)).toBe("applied");
    expect(runs()).toBe(3);
  });

  it("reports the CLI's own error and leaves no stamp when it fails", async () => {
    writeFileSync(target.prismaBin!, `#!/bin/sh\necho "P3009: migrate found failed migrations" >&2\nexit 1\n`);
    await expect(migrateDatabase(target)).rejects.toThrow(
      "prisma migrate deploy failed for demo: P3009: migrate found failed migrations",
    );
    await expect(migrateDatabase(target)).rejects.toThrow(/P3009/);
  });
});
