// One lint setup for the whole monorepo: every package's eslint.config.js spreads this.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      ".next/**",
      "src/generated/**",
      "**/*.config.*",
      "next-env.d.ts",
      "playwright-report/**",
      "test-results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-console": ["error", { allow: ["warn", "error"] }],
      // As create-t3-turbo: the environment is read and validated in one module, then passed in.
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message:
            "Read the environment through this package's src/env.ts or src/config.ts, which validates it, and pass the value in.",
        },
      ],
    },
  },
  {
    // Where the environment is read on purpose; a package may add its own in its eslint.config.js.
    files: [
      // Each app's env module and each service's and runtime's config module: validated once here.
      "src/env.ts",
      "src/config.ts",
      // CLIs read argv and the environment once and build their children's environments.
      "src/cli.ts",
      "scripts/**",
      // Next's own switches (NEXT_RUNTIME, NEXT_OTEL_FETCH_DISABLED), set before anything is loaded.
      "src/instrumentation.ts",
      // Tests and their fixtures start processes with an environment of their own.
      "**/*.test.ts",
      "**/test-fixtures/**",
      "**/testing/**",
      "**/testing.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);
