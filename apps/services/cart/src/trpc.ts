/**
 * Cart service tRPC setup, read top to bottom:
 * 1. context: what every procedure can use
 * 2. initialization: transformer and the shared error shape
 * 3. router and procedure builders
 */
import type { InventoryRouter } from "@microshop/inventory-service/router";
import type { ProductRouter } from "@microshop/product-service/router";
import type { TRPCClient } from "@microshop/service-client";
import type { UserRouter } from "@microshop/user-service/router";
import type { Logger } from "@microshop/service-runtime/logger";
import { refuseNulCharacters } from "@microshop/service-runtime/text-input";
import { createErrorFormatter } from "@microshop/service-runtime/trpc";
import { transformer } from "@microshop/transformer";
import { initTRPC } from "@trpc/server";
import type { Db } from "./db";

// 1. Context
export interface Context {
  readonly db: Db;
  readonly logger: Logger;
  /** The services this one calls: prices and names from product, stock from inventory. */
  readonly product: TRPCClient<ProductRouter>;
  readonly inventory: TRPCClient<InventoryRouter>;
  /** Says whose session a token is: a user's cart is found by their session, not by an id. */
  readonly users: TRPCClient<UserRouter>;
}

// 2. Initialization
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter: createErrorFormatter("cart"),
});

// 3. Router and procedures
export const createTRPCRouter = t.router;
// Text Postgres cannot store is refused at the door, on both providers (text-input.ts).
export const publicProcedure = t.procedure.use(async ({ getRawInput, next }) => {
  refuseNulCharacters(await getRawInput());
  return next();
});
export const createCallerFactory = t.createCallerFactory;
