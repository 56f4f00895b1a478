import { accountRouter } from "./routers/account";
import { cartRouter } from "./routers/cart";
import { catalogRouter } from "./routers/catalog";
import { checkoutRouter, inboxRouter, ordersRouter } from "./routers/checkout";
import { stockRouter } from "./routers/stock";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  catalog: catalogRouter,
  stock: stockRouter,
  account: accountRouter,
  cart: cartRouter,
  checkout: checkoutRouter,
  orders: ordersRouter,
  inbox: inboxRouter,
});

/** The BFF's API as a type: all the browser's client needs. */
export type AppRouter = typeof appRouter;

/** Calls the BFF in-process: server components and tests. */
export const createCaller = createCallerFactory(appRouter);
