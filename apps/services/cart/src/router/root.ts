import { createTRPCRouter } from "../trpc";
import { cartRouter } from "./cart";

export const appRouter = createTRPCRouter({
  cart: cartRouter,
});

/** The cart service's API, as a type: what `createServiceClient<CartRouter>("cart")` needs. */
export type CartRouter = typeof appRouter;
export type { CartLine, CartView } from "../cart";
export type { Owner } from "../owner";
