import { serviceTestConfig } from "@microshop/build-config/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

// The durability tests start real service processes (six at once, each migrated first) and kill
// them; under `pnpm test` they share two cores with every other package's tests.
export default mergeConfig(serviceTestConfig, defineConfig({ test: { testTimeout: 120_000, hookTimeout: 240_000 } }));
