/**
 * Product service tRPC setup, read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer and the shared error shape
 * 3. router and procedure builders
 */
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import type { Logger } from "@microshop/service-runtime/logger";
import { initTRPC } from "@trpc/server";
import type { Db } from "./db";

// 1. Context
export interface Context {
  readonly db: Db;
  readonly logger: Logger;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("product"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
