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
  const hash = hashMigrations(target.serviceDir);
  const stamp = stampFile(target);
  if (existsSync(target.databaseFile) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === hash) {
    return "up to date";
  }
  mkdirSync(path.dirname(target.databaseFile), { recursive: true });
  const prismaBin = target.prismaBin ?? path.join(target.serviceDir, "node_modules", ".bin", "prisma");
  try {
    await run(prismaBin, ["migrate", "deploy"], {
      cwd: target.serviceDir,
      env: { ...processEnv, DATABASE_URL: `file:${target.databaseFile}` },
    });
  } catch (error) {
    const output =
      (error as { stderr?: string; stdout?: string }).stderr || (error as { stdout?: string }).stdout || String(error);
    throw new Error(`prisma migrate deploy failed for ${target.service}: ${output.trim().split("\n").slice(-5).join("\n")}`);
  }
  writeFileSync(stamp, `${hash}\n`);
  return "applied";
}
