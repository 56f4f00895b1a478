// Shared Vitest settings for packages whose tests open real databases and real servers: the
// first test of a file waits for `prisma migrate deploy`, which takes seconds on a busy 2-core
// machine, so the default 5 s budget is too tight. Hooks that start several services (each with its
// migrations) once took over 60 s while `pnpm test` ran every package at once on 2 cores: their
// budget is three minutes, and a test's two (60 restocks beside failing reservations once took 35 s
// there), which only a test that is really stuck uses up. Tests never assert on time.
//
// Under MICROSHOP_TEST_DB=postgres (each service's `test:postgres` task) the same tests run on
// Postgres: the global set-up starts one throw-away cluster for the run (@microshop/local-postgres).
import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const postgres = process.env.MICROSHOP_TEST_DB === "postgres";

/**
 * How long a test waits for something that must happen (a process ready, a poll to match) before it
 * calls it stuck. A fixed few seconds is enough on a quiet machine but not while `pnpm test` runs
 * every package at once on 2 cores: a crash loop of four Node starts once missed a 4 s readiness
 * deadline there. Only a test that is really stuck uses it up; tests that check a deadline itself
 * set a short one of their own.
 */
export const waitBudgetMs = 60_000;

export const serviceTestConfig = defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: postgres ? [createRequire(import.meta.url).resolve("@microshop/local-postgres/vitest-setup")] : [],
  },
});
