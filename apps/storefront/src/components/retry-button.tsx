"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import styles from "./notice.module.css";

/** Asks the server for the page again; `reset` also clears an error boundary when there is one. */
export function RetryButton({ reset }: { reset?: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      className={styles.primary}
      disabled={pending}
      onClick={() =>
        startTransition(() => {
          router.refresh();
          reset?.();
        })
      }
    >
      {pending ? "Trying again…" : "Try again"}
    </button>
  );
}
