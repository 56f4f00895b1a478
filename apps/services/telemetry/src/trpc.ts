/**
 * Telemetry service tRPC setup, read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer, the shared error shape and the SSE settings
 * 3. router and procedure builders
 */
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import type { Logger } from "@microshop/service-runtime/logger";
import { initTRPC } from "@trpc/server";
import type { LiveFeed } from "./live-feed";
import type { ServiceMap } from "./service-map";
import type { TraceStore } from "./store";

// 1. Context
export interface Context {
  readonly store: TraceStore;
  readonly map: ServiceMap;
  readonly live: LiveFeed;
  readonly logger: Logger;
  /** The clock the sliding windows are measured against. */
  readonly now: () => Date;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("telemetry"),
  sse: {
    // A quiet map sends nothing for a while: pings keep proxies from closing the stream, and a
    // client that hears nothing (not even a ping) for 15 s reconnects by itself.
    ping: { enabled: true, intervalMs: 5_000 },
    client: { reconnectAfterInactivityMs: 15_000 },
  },
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
