/**
 * Writes one workload's keys as an env file for `podman run --env-file` (build.sh's smoke journey):
 *
 *   SERVICE_TOKEN_SECRET=... tsx src/env-files.ts <dir> <name>...
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { serviceTokenSecretSchema } from "@microshop/service-auth";
import { keyEnvFiles } from "./secrets";

const [dir, ...names] = process.argv.slice(2);
const root = serviceTokenSecretSchema.safeParse(process.env.SERVICE_TOKEN_SECRET);
if (!dir || names.length === 0 || !root.success) {
  console.error("usage: SERVICE_TOKEN_SECRET=<32+ characters> tsx src/env-files.ts <dir> <workload>...");
  process.exit(78);
}
const files = keyEnvFiles(root.data, "# Made for one smoke run; never commit.");
for (const name of names) {
  const content = files[`${name}.env`];
  if (!content) throw new Error(`${name} holds no keys`);
  writeFileSync(path.join(dir, `${name}.env`), content, { mode: 0o600 });
}
