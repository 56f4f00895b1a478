/**
 * The feed as a tRPC router over any `FeedSource`. The server that mounts it checks each call's
 * service token (audience `FEED_AUDIENCE`) and puts the verified caller in the context.
 */
import { initTRPC } from "@trpc/server";
import { createErrorFormatter } from "@microshop/trpc-errors/format";
import { transformer } from "@microshop/transformer";
import { feedReportSchema, type FeedSource } from "./feed";

export interface FeedContext {
  readonly source: FeedSource;
  /** The verified signer of the call: a service, `monolith`, `storefront`. */
  readonly caller: string;
}

const t = initTRPC.context<FeedContext>().create({ transformer, errorFormatter: createErrorFormatter("lab-feed") });

export const feedRouter = t.router({
  /** A process's report in, the current feed out. */
  sync: t.procedure.input(feedReportSchema).mutation(({ ctx, input }) => ctx.source.sync(input, ctx.caller)),
});

export type FeedRouter = typeof feedRouter;
