// Shared Vitest settings for packages whose tests open real databases and real servers: the
// first test of a file waits for `prisma migrate deploy`, which takes seconds on a busy 2-core
// machine, so the default 5 s budget is too tight. Tests never assert on time.
import { defineConfig } from "vitest/config";

export const serviceTestConfig = defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
