import { createTRPCRouter } from "../trpc";
import { ordersRouter } from "./orders";

export const appRouter = createTRPCRouter({
  orders: ordersRouter,
});

/** The order service's API, as a type: what `createServiceClient<OrderRouter>("order")` needs. */
export type OrderRouter = typeof appRouter;
export type { OrderView, OrderStatus, ShippingAddress } from "../views";
