"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeading } from "~/components/page-heading";
import { errorMessage } from "~/lib/error-message";
import { useTRPC } from "~/trpc/react";
import styles from "../orders/orders.module.css";

/** What the email service sent this shopper, in the spirit of Mailpit: refreshes as mail arrives. */
export function InboxList() {
  const trpc = useTRPC();
  const inbox = useQuery(trpc.inbox.list.queryOptions(undefined, { retry: false, refetchInterval: 2_000 }));
  if (inbox.isPending) return <PageHeading title="Inbox">Loading…</PageHeading>;
  if (inbox.isError) {
    return (
      <PageHeading title="Inbox">
        {errorMessage(inbox.error)} <Link href="/sign-in?next=/inbox">Sign in</Link>
      </PageHeading>
    );
  }
  return (
    <>
      <PageHeading title="Inbox">
        Emails the shop sent you. Nothing here leaves this machine unless SMTP is configured.
      </PageHeading>
      {inbox.data.length === 0 ? <p>No email yet.</p> : null}
      <ul className={styles.list}>
        {inbox.data.map((message) => (
          <li key={message.id} className={styles.item} data-testid="inbox-row">
            <Link href={`/inbox/${message.id}`} className={styles.link}>
              <span className={styles.date}>
                {message.createdAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })}
              </span>
              <span>{message.subject}</span>
              <span className={`${styles.status} ${message.status === "sent" ? styles.paid : ""}`}>
                {message.status === "sent" ? "Delivered" : "Queued"}
              </span>
              <span>{message.toEmail}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
