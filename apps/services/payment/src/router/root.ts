import { createTRPCRouter } from "../trpc";
import { paymentsRouter } from "./payments";

export const appRouter = createTRPCRouter({
  payments: paymentsRouter,
});

/** The payment service's API, as a type: what `createServiceClient<PaymentRouter>("payment")` needs. */
export type PaymentRouter = typeof appRouter;
