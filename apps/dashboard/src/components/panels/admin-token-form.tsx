"use client";

import { useState } from "react";
import { saveAdminToken } from "~/lib/admin-token";
import styles from "./panels.module.css";

/** Asks once per tab for the admin token the BFF wants outside local development. */
export function AdminTokenForm({ onSaved }: { onSaved: () => void }) {
  const [token, setToken] = useState("");
  return (
    <form
      className={styles.tokenForm}
      onSubmit={(event) => {
        event.preventDefault();
        saveAdminToken(token.trim());
        onSaved();
      }}
    >
      <label>
        Admin token
        <input type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} />
      </label>
      <button type="submit" className={styles.button} disabled={token.trim().length === 0}>
        Use token
      </button>
    </form>
  );
}
