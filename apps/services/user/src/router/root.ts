import { createTRPCRouter } from "../trpc";
import { addressesRouter } from "./addresses";
import { authRouter, sessionsRouter } from "./auth";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  sessions: sessionsRouter,
  addresses: addressesRouter,
});

/** The user service's API, as a type: what `createServiceClient<UserRouter>("user")` needs. */
export type UserRouter = typeof appRouter;
