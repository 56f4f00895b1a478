/**
 * `node dist/server.js`: the storefront in production, as `next start` would run it, with the page
 * cache in front (`./front-door`). Next.js's documented custom server: the same build, the same
 * Proxy, instrumentation and routes; `HOST` and `PORT` as `next start -H -p` takes them.
 * Development stays on `next dev` (no page cache: pages change as their code does).
 */
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { parseEnv } from "~/env";
import { cataloguePages, frontDoor } from "./front-door";
import { PageCache } from "./page-cache";
import { frontDoorSpansVariable } from "./spans-variable";

// eslint-disable-next-line no-restricted-properties -- the server's own start-up: validated by the storefront's schema below.
const source = process.env;
const env = parseEnv(source);
const hostname = source.HOST ?? "127.0.0.1";
const port = Number(source.PORT ?? 3000);
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Read by src/instrumentation.ts when Next.js starts tracing (in `prepare`): the spans are ours.
source[frontDoorSpansVariable] = "1";
const app = next({ dev: false, dir: appDir, hostname, port });
await app.prepare();

const cache =
  env.PAGE_CACHE === "on"
    ? new PageCache({
        pages: cataloguePages,
        ttlMs: env.CATALOG_CACHE_SECONDS * 1_000,
        maxBytes: env.PAGE_CACHE_MAX_MB * 1024 * 1024,
      })
    : undefined;
const server = createServer(frontDoor(app.getRequestHandler(), cache, { traced: true }));
server.listen(port, hostname, () => {
  process.stdout.write(`storefront ready on http://${hostname}:${port} (page cache ${cache ? "on" : "off"})\n`);
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  // Requests under way finish; idle keep-alive connections are closed so the process can exit.
  server.close(() => void app.close().finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
