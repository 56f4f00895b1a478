// The one build recipe for Node processes (services, supervisor, monolith): a single ESM file per
// entry. Workspace packages and their pure-JS dependencies are bundled in; the process's own
// package.json dependencies (Prisma, native SQLite bindings) stay external, resolved at run time.

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
    // Bundled CommonJS dependencies (pino) call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  };
}
