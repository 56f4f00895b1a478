import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestDatabase {
  /** `file:` URL of a fresh SQLite database with every migration of the service applied. */
  readonly url: string;
  readonly dir: string;
  remove(): void;
}

// One migrated template per service and test worker; each test database is a copy of it, so the
// Prisma CLI runs once per file instead of once per test.
const templates = new Map<string, Promise<string>>();

async function migratedTemplate(serviceDir: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "microshop-template-"));
  const file = path.join(dir, "template.db");
  const prismaBin = path.join(serviceDir, "node_modules", ".bin", "prisma");
  await run(prismaBin, ["migrate", "deploy"], { cwd: serviceDir, env: { ...process.env, DATABASE_URL: `file:${file}` } });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/**
 * A throw-away database for a service's tests, migrated with the service's real migrations through
 * the Prisma CLI (`prisma migrate deploy`), so tests run against exactly what production runs.
 * `serviceDir` is the folder holding the service's `prisma.config.ts`.
 */
export async function createTestDatabase(serviceDir: string, name = "test"): Promise<TestDatabase> {
  let template = templates.get(serviceDir);
  if (!template) {
    template = migratedTemplate(serviceDir);
    templates.set(serviceDir, template);
  }
  const dir = mkdtempSync(path.join(tmpdir(), `microshop-${name}-`));
  const file = path.join(dir, `${name}.db`);
  copyFileSync(await template, file);
  return { url: `file:${file}`, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
