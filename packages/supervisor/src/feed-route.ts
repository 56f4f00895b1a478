/**
 * The lab feed over HTTP (`POST /lab/trpc/sync`). Its callers are the stack's own processes, so its
 * credential is theirs, a service token made for the supervisor (`FEED_AUDIENCE`), checked here
 * against every process's public key; not the control token, which no process holds. It is served
 * as a raw route of the control API's server: the server's Host, Origin and JSON checks still apply,
 * its bearer token does not.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FeedSource } from "@microshop/lab/feed";
import { feedRouter } from "@microshop/lab/feed-router";
import { feedContextFor } from "@microshop/service-runtime/lab-feed";
import type { Logger } from "@microshop/service-runtime/logger";
import type { RawRoute } from "@microshop/service-runtime/service";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { labPaths } from "./stack";

export interface FeedRouteOptions {
  readonly source: FeedSource;
  /** The public keys of the processes that follow the feed (`trustedKeysFor(root, feedSigners)`). */
  readonly trustedKeys: string;
  readonly logger: Pick<Logger, "warn">;
}

export function feedRoute(options: FeedRouteOptions): RawRoute {
  const contextFor = feedContextFor(options);
  const handle = createHTTPHandler({
    router: feedRouter,
    maxBodySize: 1_000_000,
    createContext: ({ req }) => contextFor(req.headers),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") options.logger.warn({ err: error, path }, "lab feed call failed");
    },
  });
  return {
    method: "POST",
    path: `${labPaths.feed}/sync`,
    handle: (req: IncomingMessage, res: ServerResponse) => {
      // The adapter reads the procedure from the URL: hand it the part after the mount.
      req.url = (req.url ?? "/").slice(labPaths.feed.length) || "/";
      return handle(req, res);
    },
  };
}
