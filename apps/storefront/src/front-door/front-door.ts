/**
 * The storefront's HTTP server in production: Next.js's request handler behind the page cache
 * (`./page-cache`). A kept page is answered here without entering Next.js; everything else (pages
 * not kept, the BFF, assets, probes) is Next.js's as under `next start`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isUntracedPath, serveTraced } from "@microshop/tracing/server-span";
import type { PageCache } from "./page-cache";

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/** The public catalog pages, the same for every visitor: home, a product, a category, search. */
export const cataloguePages: readonly RegExp[] = [/^\/$/, /^\/p\/[^/]+$/, /^\/c\/[^/]+$/, /^\/search$/];

export interface FrontDoorOptions {
  /**
   * Make each request's server span here (`serveTraced`, as the services' runtime does) instead of
   * the HTTP instrumentation: a kept page is sent in a fraction of a millisecond, and the
   * instrumentation's incoming path cost more than that (docs/benchmarks.md, "Pages under load").
   */
  readonly traced: boolean;
}

/** The server's request listener: Next.js's handler (which answers its own failures) behind the cache. */
export function frontDoor(
  next: RequestHandler,
  cache: PageCache | undefined,
  options: FrontDoorOptions = { traced: false },
): (request: IncomingMessage, response: ServerResponse) => void {
  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    const key = cache?.keyOf(request);
    if (cache && key !== undefined) {
      try {
        if (cache.serve(key, request, response)) return;
        cache.keepAnswer(key, request, response);
      } catch (error) {
        // The cache is an optimisation: if it fails, the page is rendered as if it were not there.
        console.error(`page cache: ${request.url ?? ""}: ${error instanceof Error ? error.message : String(error)}`);
        if (response.headersSent) return void response.destroy();
      }
    }
    void next(request, response);
  };
  if (!options.traced) return answer;
  return (request, response) => {
    if (isUntracedPath(request.url ?? "/")) return answer(request, response);
    serveTraced(request, response, "storefront", () => answer(request, response));
  };
}
