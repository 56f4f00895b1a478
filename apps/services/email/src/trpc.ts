/**
 * Email service tRPC setup, read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer and the shared error shape
 * 3. router and procedure builders
 */
import { refuseNulCharacters } from "@microshop/service-runtime/text-input";
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import type { Logger } from "@microshop/service-runtime/logger";
import type { TRPCClient } from "@microshop/service-client";
import type { UserRouter } from "@microshop/user-service/router";
import { initTRPC } from "@trpc/server";
import type { Db } from "./db";

// 1. Context
export interface Context {
  readonly db: Db;
  readonly logger: Logger;
  /** The clock, injectable so retries can be tested without sleeping. */
  readonly now: () => Date;
  /** Asks the outbox processor to run soon: a new email need not wait for the next tick. */
  readonly kick: () => void;
  /** Tells whose session a token is: the inbox shows only that person's mail. */
  readonly users: TRPCClient<UserRouter>;
  /** The version of this service that runs (the runtime's `ServiceContext.version`): confirmations name it. */
  readonly version: string;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("email"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
// Text Postgres cannot store is refused at the door, on both providers (text-input.ts).
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  refuseNulCharacters(await getRawInput());
  return next();
});
export const createCallerFactory = t.createCallerFactory;
