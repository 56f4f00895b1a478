import { createTRPCRouter } from "../trpc";
import { emailsRouter, inboxRouter, outboxRouter } from "./emails";

export const appRouter = createTRPCRouter({
  emails: emailsRouter,
  inbox: inboxRouter,
  outbox: outboxRouter,
});

/** The email service's API, as a type: what `createServiceClient<EmailRouter>("email")` needs. */
export type EmailRouter = typeof appRouter;
