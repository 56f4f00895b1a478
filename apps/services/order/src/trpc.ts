/**
 * Order service tRPC setup, read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer and the shared error shape
 * 3. router and procedure builders
 */
import type { Logger } from "@microshop/service-runtime/logger";
import { refuseNulCharacters } from "@microshop/service-runtime/text-input";
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import { initTRPC } from "@trpc/server";
import type { Db } from "./db";
import type { Downstream } from "./downstream";

// 1. Context
export interface Context {
  readonly db: Db;
  readonly logger: Logger;
  /** The services the checkout saga calls. */
  readonly downstream: Downstream;
  readonly now: () => Date;
  /** Asks the outbox to run now: a paid order's email need not wait for the next tick. */
  readonly kick: () => void;
  /** How many times a charge with no answer is retried (same idempotency key) before recovery takes over. */
  readonly paymentAttempts: number;
  /** At most `perAccount` new checkouts per account in `windowMs` (see saga.ts). */
  readonly checkoutLimit: { readonly perAccount: number; readonly windowMs: number };
  /** Sagas and outbox entries this process works on are leased to it under this name (its instance id). */
  readonly leaseOwner: string;
  /** How long a lease on a saga lasts past its last step: a saga untouched for longer belongs to a dead process. */
  readonly sagaLeaseMs: number;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("order"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
// Text Postgres cannot store is refused at the door, on both providers (text-input.ts).
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  refuseNulCharacters(await getRawInput());
  return next();
});
export const createCallerFactory = t.createCallerFactory;
