/**
 * User service tRPC setup, read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer and the shared error shape
 * 3. router and procedure builders
 */
import { refuseNulCharacters } from "@microshop/service-runtime/text-input";
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import type { Logger } from "@microshop/service-runtime/logger";
import { initTRPC } from "@trpc/server";
import type { Db } from "./db";

// 1. Context
export interface Context {
  readonly db: Db;
  readonly logger: Logger;
  /** The clock, injectable so rate limits and expiry can be tested without sleeping. */
  readonly now: () => Date;
  readonly sessionTtlHours: number;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("user"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
// Text Postgres cannot store is refused at the door, on both providers (text-input.ts).
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  refuseNulCharacters(await getRawInput());
  return next();
});
export const createCallerFactory = t.createCallerFactory;
