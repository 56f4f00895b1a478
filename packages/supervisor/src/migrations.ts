import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { processEnv } from "@microshop/service-runtime/config";

const run = promisify(execFile);

/** One service database that must be migrated before the process that owns it starts. */
export interface MigrationTarget {
  readonly service: string;
  /** Folder holding the service's `prisma.config.ts` and `prisma/migrations`. */
  readonly serviceDir: string;
  /** Absolute path of the SQLite file. */
  readonly databaseFile: string;
  /**
   * A `postgres://` URL instead of the SQLite file (`--db postgres`). Its migrations are always
   * deployed: no stamp file can tell whether that database is the one migrated last time, and
   * `migrate deploy` with nothing pending costs about a second.
   */
  readonly postgresUrl?: string;
  /** Default `<serviceDir>/node_modules/.bin/prisma`. */
  readonly prismaBin?: string;
}

export type MigrationOutcome = "applied" | "up to date";

/** Hash of every file under `prisma/migrations`: changes whenever a migration is added or edited. */
export function hashMigrations(serviceDir: string): string {
  const root = path.join(serviceDir, "prisma", "migrations");
  const hash = createHash("sha256");
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
  for (const file of files) {
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(path.join(root, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

function stampFile(target: MigrationTarget): string {
  return `${target.databaseFile}.migrations`;
}

/**
 * Applies the service's migrations with `prisma migrate deploy`, unless a stamp beside the database
 * says this very file already has exactly these migrations. The CLI costs about a second per
 * service; the stamp makes warm starts skip it.
 */
export async function migrateDatabase(target: MigrationTarget): Promise<MigrationOutcome> {
  if (target.postgresUrl) {
    const output = await deploy(target, target.postgresUrl);
    return /No pending migrations/.test(output) ? "up to date" : "applied";
  }
  const hash = hashMigrations(target.serviceDir);
  const stamp = stampFile(target);
  if (existsSync(target.databaseFile) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash) {
    return "up to date";
  }
  mkdirSync(path.dirname(target.databaseFile), { recursive: true });
  await deploy(target, `file:${target.databaseFile}`);
  writeFileSync(stamp, `${hash}\n`);
  return "applied";
}

/** `prisma migrate deploy` on one database; its output, or an error quoting the end of it (never the URL's password). */
async function deploy(target: MigrationTarget, url: string): Promise<string> {
  const prismaBin = target.prismaBin ?? path.join(target.serviceDir, "node_modules", ".bin", "prisma");
  const password = new URL(url).password;
  const hidden = (text: string) =>
    password ? text.replaceAll(password, "***").replaceAll(decodeURIComponent(password), "***") : text;
  try {
    const { stdout } = await run(prismaBin, ["migrate", "deploy"], {
      cwd: target.serviceDir,
      env: { ...processEnv, DATABASE_URL: url },
    });
    return stdout;
  } catch (error) {
    const output =
      (error as { stderr?: string; stdout?: string }).stderr || (error as { stdout?: string }).stdout || String(error);
    throw new Error(
      `prisma migrate deploy failed for ${target.service}: ${hidden(output.trim().split("\n").slice(-5).join("\n"))}`,
    );
  }
}
