import { fileURLToPath } from "node:url";
import { serviceTestConfig } from "@microshop/build-config/vitest";
import { defineConfig, mergeConfig } from "vitest/config";

// Some tests start real servers or run hundreds of generated inputs: the shared budget for those.
export default mergeConfig(
  serviceTestConfig,
  defineConfig({
    resolve: {
      alias: {
        "~": fileURLToPath(new URL("./src", import.meta.url)),
        // Next.js's guard against server code in the browser; tests are server-side already.
        "server-only": fileURLToPath(new URL("./src/testing/server-only-stub.ts", import.meta.url)),
      },
    },
    test: {
      environment: "node",
      include: ["src/**/*.test.ts"],
    },
  }),
);
