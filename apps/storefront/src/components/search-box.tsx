"use client";

import Form from "next/form";
import { useSearchParams } from "next/navigation";
import styles from "./search-box.module.css";

function SearchForm({ defaultValue }: { defaultValue: string }) {
  return (
    // A plain GET form: it works before JavaScript loads, and next/form makes it a client navigation after.
    <Form action="/search" role="search" className={styles.form}>
      <label htmlFor="site-search" className="visually-hidden">
        Search products
      </label>
      <input
        // Remount when the URL changes so the box shows the query of the page being viewed.
        key={defaultValue}
        id="site-search"
        name="q"
        type="search"
        defaultValue={defaultValue}
        placeholder="Search kettles, lamps, notebooks…"
        autoComplete="off"
        maxLength={200}
        className={styles.input}
      />
      <button type="submit" className={styles.button}>
        <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" strokeLinecap="round" />
        </svg>
        <span className="visually-hidden">Search</span>
      </button>
    </Form>
  );
}

export function SearchBox() {
  const params = useSearchParams();
  return <SearchForm defaultValue={params.get("q") ?? ""} />;
}

/** Shown until the URL can be read; same box, empty. */
export function SearchBoxFallback() {
  return <SearchForm defaultValue="" />;
}
