import { createRouter } from "../trpc";
import { emailsRouter, inboxRouter, outboxRouter } from "./emails";

export const appRouter = createRouter({
  emails: emailsRouter,
  inbox: inboxRouter,
  outbox: outboxRouter,
});

/** The email service's API, as a type: what `createServiceClient<EmailRouter>("email")` needs. */
export type EmailRouter = typeof appRouter;
