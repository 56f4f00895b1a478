// Runs the Playwright suite once per deployment mode, each against a freshly started stack
// (the supervisor is Playwright's webServer) on an empty data directory.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";

const modes = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["microservices", "monolith"];
const here = import.meta.dirname;
let failed = false;
for (const mode of modes) {
  rmSync(path.resolve(here, "..", ".data", `e2e-${mode}`), { recursive: true, force: true });
  process.stdout.write(`\n=== e2e: ${mode} mode ===\n`);
  const result = spawnSync("pnpm", ["exec", "playwright", "test"], {
    cwd: here,
    stdio: "inherit",
    env: { ...process.env, MICROSHOP_E2E_MODE: mode },
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
