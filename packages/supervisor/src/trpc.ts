/**
 * The control API's tRPC setup, read top to bottom:
 * 1. context: the running supervisor; 2. initialization with the house error shape; 3. builders.
 */
import { initTRPC } from "@trpc/server";
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import type { Supervisor } from "./supervisor";

// 1. Context
export interface ControlContext {
  readonly supervisor: Supervisor;
}

// 2. Initialization
const t = initTRPC.context<ControlContext>().create({ transformer, errorFormatter: createErrorFormatter("supervisor") });

// 3. Router and procedures
export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;
