/**
 * Payment service tRPC setup, read top to bottom:
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
export interface ProcessorSettings {
  readonly latencyMs: number;
  readonly slowCardDelayMs: number;
}

export interface Context {
  readonly db: Db;
  readonly logger: Logger;
  readonly settings: ProcessorSettings;
  /** The clock card expiry is checked against; tests pass a fixed one. */
  readonly now: () => Date;
  /** This process's instance id: the owner of the charges it is settling (see settleInterrupted). */
  readonly leaseOwner: string;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("payment"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
// Text Postgres cannot store is refused at the door, on both providers (text-input.ts).
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  refuseNulCharacters(await getRawInput());
  return next();
});
export const createCallerFactory = t.createCallerFactory;
