/**
 * The lab feed over HTTP (`POST /lab/trpc/sync`). Its callers are the stack's own processes, so its
 * credential is theirs, a service token made for the supervisor (`FEED_AUDIENCE`), checked here
 * against every process's public key; not the control token, which no process holds. It is served
 * as a raw route of the control API's server: the server's Host, Origin and JSON checks still apply,
 * its bearer token does not.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FEED_AUDIENCE, type FeedSource } from "@microshop/lab/feed";
import { feedRouter, type FeedContext } from "@microshop/lab/feed-router";
import { CallerNotTrusted, createServiceTokenVerifier, SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import type { Logger } from "@microshop/service-runtime/logger";
import type { RawRoute } from "@microshop/service-runtime/service";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { labPaths } from "./stack";

export interface FeedRouteOptions {
  readonly source: FeedSource;
  /** The public keys of the processes that follow the feed (`trustedKeysFor(root, feedSigners)`). */
  readonly trustedKeys: string;
  readonly logger: Pick<Logger, "warn">;
}

export function feedRoute(options: FeedRouteOptions): RawRoute {
  const verifier = createServiceTokenVerifier(options.trustedKeys);
  const handle = createHTTPHandler({
    router: feedRouter,
    maxBodySize: 1_000_000,
    createContext: async ({ req }): Promise<FeedContext> => {
      const token = req.headers[SERVICE_TOKEN_HEADER];
      try {
        const { caller } = await verifier.verify(Array.isArray(token) ? token[0] : token, FEED_AUDIENCE);
        return { source: options.source, caller };
      } catch (error) {
        if (!(error instanceof CallerNotTrusted)) throw error;
        throw new TRPCError({
          code: "UNAUTHORIZED",
          message: `The lab feed answers only the stack's own processes: ${error.message}`,
        });
      }
    },
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
