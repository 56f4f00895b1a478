// Runs the Playwright suite once per deployment mode, each against a freshly started stack
// (the supervisor is Playwright's webServer) on an empty data directory, then prints one line
// with the totals of all. The third run, `postgres`, is the microservices stack started with
// `--db postgres`, running the checkout journey only (playwright.config.ts).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

interface Report {
  readonly stats: { readonly expected: number; readonly unexpected: number; readonly flaky: number; readonly skipped: number };
}

const runs = {
  microservices: { mode: "microservices", db: "sqlite" },
  monolith: { mode: "monolith", db: "sqlite" },
  postgres: { mode: "microservices", db: "postgres" },
} as const;
type RunLabel = keyof typeof runs;
const isRunLabel = (label: string): label is RunLabel => Object.hasOwn(runs, label);
const modes = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(runs);
const here = import.meta.dirname;
let failed = false;
const totals = { passed: 0, failed: 0 };
const portOffset = Number(process.env.MICROSHOP_PORT_OFFSET ?? 0);
for (const label of modes) {
  if (!isRunLabel(label)) throw new Error(`Unknown e2e run ${label}: one of ${Object.keys(runs).join(", ")}`);
  const { mode, db } = runs[label];
  // The same name as support/stack.ts gives the run: `e2e-<mode>[-postgres][-<offset>]`.
  const runName = `e2e-${mode}${db === "postgres" ? "-postgres" : ""}${portOffset ? `-${portOffset}` : ""}`;
  rmSync(path.resolve(here, "..", ".data", runName), { recursive: true, force: true });
  const reportFile = path.join(here, "test-results", runName, "report.json");
  rmSync(reportFile, { force: true });
  process.stdout.write(`\n=== e2e: ${mode} mode${db === "postgres" ? " on Postgres" : ""} ===\n`);
  const result = spawnSync("pnpm", ["exec", "playwright", "test"], {
    cwd: here,
    stdio: "inherit",
    env: { ...process.env, MICROSHOP_E2E_MODE: mode, MICROSHOP_E2E_DB: db },
  });
  if (result.status !== 0) failed = true;
  if (existsSync(reportFile)) {
    const { stats } = JSON.parse(readFileSync(reportFile, "utf8")) as Report;
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
  } else {
    // No report means the run itself broke (the stack never started): count it as a failure.
    totals.failed += 1;
  }
}
process.stdout.write(`\nModes: ${modes.join(", ")}\ne2e: ${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(failed ? 1 : 0);
