// Shared Vitest settings for packages whose tests open real databases and real servers: the
// first test of a file waits for `prisma migrate deploy`, which takes seconds on a busy 2-core
// machine, so the default 5 s budget is too tight. Hooks that start several services (each with its
// migrations) once took over 60 s while `pnpm test` ran every package at once on 2 cores: their
// budget is three minutes, which a hook only uses up when it is really stuck. Tests never assert on time.
import { defineConfig } from "vitest/config";

export const serviceTestConfig = defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
