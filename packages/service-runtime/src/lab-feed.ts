/**
 * The lab feed as a mount of `startServer`, for whoever serves it (the supervisor): `feedRouter`
 * over a `FeedSource` at `/lab/trpc`, each call's service token checked against the stack's keys
 * for the audience `FEED_AUDIENCE`, the verified signer handed to the source as `caller`.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FeedContext } from "@microshop/lab/feed-router";
import { FEED_AUDIENCE, type FeedSource } from "@microshop/lab/feed";
import { feedRouter } from "@microshop/lab/feed-router";
import { CallerNotTrusted, createServiceTokenVerifier, SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import { TRPCError } from "@trpc/server";
import type { Mount } from "./routing";
import type { ServiceInstance } from "./service";

/** Where the feed is served; `LAB_FEED_URL` is the server's URL followed by it. */
export const FEED_PATH = "/lab/trpc";

/**
 * The feed's context for one call, from its headers: the signer of its service token, checked
 * against `trustedKeys` for the feed's audience, or UNAUTHORIZED. Whoever serves the feed, as a
 * mount or as a raw route, checks its callers with this.
 */
export function feedContextFor(options: {
  readonly source: FeedSource;
  readonly trustedKeys: string;
}): (headers: IncomingHttpHeaders) => Promise<FeedContext> {
  const verifier = createServiceTokenVerifier(options.trustedKeys);
  return async (headers) => {
    const token = headers[SERVICE_TOKEN_HEADER];
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
  };
}

export function labFeedMount(options: { readonly source: FeedSource; readonly trustedKeys: string }): Mount {
  const contextFor = feedContextFor(options);
  const instance: ServiceInstance<FeedContext> = {
    createContext: ({ headers }) => contextFor(headers),
    checkReady: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { path: FEED_PATH, name: "lab-feed", router: feedRouter, instance };
}
