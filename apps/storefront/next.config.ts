import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

// The monorepo root: Turbopack and output tracing must see the workspace packages above this app.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const config: NextConfig = {
  // Workspace packages ship TypeScript source, not built JavaScript.
  transpilePackages: [
    "@microshop/lab",
    "@microshop/seed-data",
    "@microshop/service-client",
    "@microshop/service-runtime",
    "@microshop/session",
    "@microshop/topology",
    "@microshop/tracing",
    "@microshop/trpc-errors",
    "@microshop/transformer",
    "@microshop/web-security",
  ],
  poweredByHeader: false,
  // The data cache (src/server/catalog-cache.ts) stays in memory, in Next.js's bounded LRU: written to
  // disk, every made-up search or slug a visitor asks for would be a file that is never removed.
  experimental: { isrFlushToDisk: false },
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
};

export default config;
