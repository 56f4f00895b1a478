import { defineConfig } from "vitest/config";

// Budgets, not assertions: tests start a fake storefront on loopback and share two cores with others.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
