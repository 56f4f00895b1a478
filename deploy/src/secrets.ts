/**
 * The env files the overlays' secretGenerators read: each workload's own signing key and every
 * public key, derived from one root secret exactly as the supervisor derives them
 * (`@microshop/service-auth`), and in production each service's Postgres password and URL.
 *
 *   SERVICE_TOKEN_SECRET=$(openssl rand -hex 32) pnpm --filter @microshop/deploy secrets
 *
 * writes `kubernetes/overlays/production/secrets/*.env` (gitignored); Postgres passwords already
 * there are kept. The local overlay's files are generated from a published root and committed: they
 * protect nothing and must never serve a real cluster.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deriveSigningKey, serviceTokenSecretSchema, trustedKeysFor } from "@microshop/service-auth";
import { callerNames } from "@microshop/topology";
import { workloads } from "./workloads";

/** The local overlay's root: public on purpose, so that `kubectl apply -k overlays/local` works from a clone. */
export const localRootSecret = "microshop-local-overlay-public-root-not-a-secret";

/** `<name>.env` for every workload that signs calls or checks its callers. */
export function keyEnvFiles(rootSecret: string, header: string): Record<string, string> {
  const trusted = trustedKeysFor(rootSecret, callerNames);
  const files: Record<string, string> = {};
  for (const target of workloads) {
    if (!target.signs && !target.checksCallers) continue;
    const lines = [header];
    if (target.signs) lines.push(`SERVICE_SIGNING_KEY=${deriveSigningKey(rootSecret, target.name)}`);
    if (target.checksCallers) lines.push(`SERVICE_TRUSTED_KEYS=${trusted}`);
    files[`${target.name}.env`] = `${lines.join("\n")}\n`;
  }
  return files;
}

/** `<service>-database.env`: the Postgres password and the URL the service connects with. */
export function databaseEnvFile(service: string, password: string): string {
  return [
    `POSTGRES_PASSWORD=${password}`,
    `DATABASE_URL=postgres://${service}:${password}@${service}-postgres:5432/${service}`,
    "",
  ].join("\n");
}

export function writeProductionSecrets(rootSecret: string, secretsDir: string): string[] {
  mkdirSync(secretsDir, { recursive: true });
  const written: string[] = [];
  const files = keyEnvFiles(rootSecret, "# Made by `pnpm --filter @microshop/deploy secrets`; never commit this file.");
  for (const target of workloads.filter((candidate) => candidate.database)) {
    const file = path.join(secretsDir, `${target.name}-database.env`);
    const kept = existsSync(file) ? /^POSTGRES_PASSWORD=(.+)$/m.exec(readFileSync(file, "utf8"))?.[1] : undefined;
    files[`${target.name}-database.env`] = databaseEnvFile(target.name, kept ?? randomBytes(24).toString("hex"));
  }
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(secretsDir, name), content, { mode: 0o600 });
    written.push(name);
  }
  return written;
}

if (import.meta.filename === process.argv[1]) {
  const root = serviceTokenSecretSchema.safeParse(process.env.SERVICE_TOKEN_SECRET);
  if (!root.success) {
    console.error(`SERVICE_TOKEN_SECRET ${root.error.issues[0]?.message ?? "is invalid"}`);
    process.exit(78);
  }
  const dir = path.join(import.meta.dirname, "..", "kubernetes", "overlays", "production", "secrets");
  const written = writeProductionSecrets(root.data, dir);
  process.stdout.write(`Wrote ${written.length} files to ${path.relative(process.cwd(), dir)}\n`);
}
