import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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

/**
 * A throw-away database for a service's tests, migrated with the service's real migrations through
 * the Prisma CLI (`prisma migrate deploy`), so tests run against exactly what production runs.
 * `serviceDir` is the folder holding the service's `prisma.config.ts`.
 */
export async function createTestDatabase(serviceDir: string, name = "test"): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), `microshop-${name}-`));
  const url = `file:${path.join(dir, `${name}.db`)}`;
  const prismaBin = path.join(serviceDir, "node_modules", ".bin", "prisma");
  await run(prismaBin, ["migrate", "deploy"], { cwd: serviceDir, env: { ...process.env, DATABASE_URL: url } });
  return { url, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
