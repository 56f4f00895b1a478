"use client";

import { AdminTokenForm } from "../panels/admin-token-form";
import styles from "../panels/panels.module.css";
import type { LabAction } from "./use-lab";

/** The outcome line of a group of lab controls, and the token field when the BFF asked for it. */
export function ActionOutcome({ action }: { action: LabAction }) {
  return (
    <>
      {action.needsToken && <AdminTokenForm onSaved={action.tokenSaved} />}
      {action.outcome && (
        <p className={styles.outcome} data-ok={action.outcome.ok} role={action.outcome.ok ? "status" : "alert"}>
          {action.outcome.text}
        </p>
      )}
    </>
  );
}
