"use client";

import { useEffect } from "react";
import { HomeLink, Notice } from "~/components/notice";
import { RetryButton } from "~/components/retry-button";

// The server's message is hidden in production builds, so this page speaks in general terms.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("page failed:", error);
  }, [error]);

  return (
    // Marked so the page cache never keeps a page that failed (src/front-door/page-cache.ts).
    <div className="container" data-page-cache="no-store">
      <Notice
        tone="problem"
        title="Something went wrong on our side"
        actions={
          <>
            <RetryButton reset={reset} />
            <HomeLink />
          </>
        }
      >
        <p>This page could not be shown just now. Trying again usually helps.</p>
        {error.digest ? <p>If it keeps happening, mention reference {error.digest}.</p> : null}
      </Notice>
    </div>
  );
}
