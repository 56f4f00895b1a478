// The one build recipe for Node processes (services, supervisor, monolith): a single ESM file per
// entry. Workspace packages and their pure-JS dependencies are bundled in; the process's own
// package.json dependencies (Prisma, native SQLite bindings) stay external, resolved at run time.

import { readFile } from "node:fs/promises";

/**
 * The ESM build of @opentelemetry/instrumentation-http loads forwarded-parse through rolldown's
 * `__require`, a `createRequire(import.meta.url)` that no bundler can follow: the bundle would look
 * for forwarded-parse next to itself at run time, where pnpm never puts a transitive dependency, and
 * the process would not start ("Cannot find module 'forwarded-parse'"). Inside one bundle that
 * `__require` means what a plain `require` means, which esbuild resolves and inlines, so the call is
 * renamed as the file loads. The CommonJS build would also do, but it brings a second copy of the
 * OpenTelemetry API, core and instrumentation packages (two module-patching hooks) into the bundle.
 * Written by hand because esbuild has no option for it.
 * @type {import("esbuild").Plugin}
 */
const inlineCreateRequire = {
  name: "inline-create-require",
  setup(build) {
    build.onLoad({ filter: /[\\/]@opentelemetry[\\/]instrumentation-http[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return { contents: source.replaceAll(/\b__require\(/g, "require("), loader: "js" };
    });
  },
};

/** @param {Record<string, string>} entry */
export function nodeProcessBuild(entry) {
  return {
    entry,
    format: ["esm"],
    platform: "node",
    target: "node20",
    sourcemap: true,
    clean: true,
    splitting: false,
    noExternal: [/^@microshop\//],
    esbuildPlugins: [inlineCreateRequire],
    // Bundled CommonJS dependencies (pino) call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  };
}
