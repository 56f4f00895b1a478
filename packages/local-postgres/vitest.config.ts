import { defineConfig } from "vitest/config";

// A cluster's initdb and start take seconds on a busy 2-core machine: budgets, never assertions.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
