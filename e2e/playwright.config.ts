import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eDataDir, runName, serviceTokenSecret, stackDatabase, stackMode, storefrontUrl } from "./support/stack";

// Debian's Chromium where it is installed (offline machines, CI); otherwise Playwright's own
// browser, which `npx playwright install chromium` fetches on a machine with internet.
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const repoRoot = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  testDir: "./tests",
  // The pages and the dashboard are the same in both modes: their accessibility and layout are
  // checked once, in microservices mode, where the map has the most to draw.
  // Scaling and deploying one service alone is a microservices experiment: the monolith has no such service.
  testIgnore: stackMode === "monolith" ? ["**/accessibility.spec.ts", "**/lab-scale-and-deploy.spec.ts"] : [],
  // On Postgres, one journey through every service's database (browse, cart, sign up, pay, inbox):
  // the services' own suites run everything else on Postgres.
  ...(stackDatabase === "postgres" ? { testMatch: ["**/checkout-journey.spec.ts"] } : {}),
  // One stack is shared by every test, and some tests stop its processes: run them one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  // Budgets, not assertions: a loaded 2-core machine (CI runs other work beside the stack) needs room.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // The JSON report lets run-e2e.ts print one summary line over both modes.
  reporter: [
    ["list"],
    ["json", { outputFile: `test-results/${runName}/report.json` }],
    ...(process.env.CI ? [] : [["html", { open: "never" }] as const]),
  ],
  outputDir: `test-results/${runName}`,
  use: {
    baseURL: storefrontUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      ...(chromiumPath ? { executablePath: chromiumPath } : {}),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: stackMode, use: { browserName: "chromium" } }],
  webServer: {
    // The real stack, started the way a user starts it, on a fresh data directory.
    command: `node packages/supervisor/dist/cli.js start --mode ${stackMode} --db ${stackDatabase} --data-dir ${e2eDataDir}`,
    cwd: repoRoot,
    url: `${storefrontUrl}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    // The tests stand in for the proxy in front of the store: each test's shopper has an address of
    // its own (support/fixtures.ts), the way the soak's shoppers do.
    // The storefront's catalog cache refreshes every 2 s instead of 60, so that tests/cached-pages.spec.ts
    // sees an edited product without a minute's wait.
    env: { SERVICE_TOKEN_SECRET: serviceTokenSecret, TRUSTED_PROXY_HOPS: "1", CATALOG_CACHE_SECONDS: "2" },
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
