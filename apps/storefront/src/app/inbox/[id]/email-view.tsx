"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeading } from "~/components/page-heading";
import { errorMessage } from "~/lib/error-message";
import { useTRPC } from "~/trpc/react";

export function EmailView({ id }: { readonly id: string }) {
  const trpc = useTRPC();
  const email = useQuery(trpc.inbox.get.queryOptions({ id }, { retry: false }));
  if (email.isPending) return <PageHeading title="Email">Loading…</PageHeading>;
  if (email.isError) return <PageHeading title="Email not found">{errorMessage(email.error)}</PageHeading>;
  return (
    <>
      <PageHeading title={email.data.subject} eyebrow={`To ${email.data.toEmail}`}>
        <Link href="/inbox">Back to inbox</Link>
      </PageHeading>
      {/* An email's HTML runs in a sandbox with no scripts and no access to this page. */}
      <iframe
        title={email.data.subject}
        srcDoc={email.data.html}
        sandbox=""
        style={{
          width: "100%",
          height: "32rem",
          border: "1px solid var(--color-border)",
          borderRadius: "12px",
          background: "#fff",
        }}
      />
      <details>
        <summary>Plain text version</summary>
        <pre style={{ whiteSpace: "pre-wrap" }}>{email.data.text}</pre>
      </details>
    </>
  );
}
