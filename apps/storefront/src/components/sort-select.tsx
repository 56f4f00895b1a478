"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { listingHref, sortLabels, sortOptions, type ListingParams, type SortOption } from "~/lib/listing-params";
import styles from "./sort-select.module.css";

interface SortSelectProps {
  readonly path: string;
  readonly params: ListingParams;
  readonly context: "search" | "category";
}

export function SortSelect({ path, params, context }: SortSelectProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const labels = sortLabels(context);

  return (
    // Without JavaScript the form still works: the browser submits it with the button below.
    <form action={path} method="get" className={styles.form} aria-busy={pending}>
      {params.q ? <input type="hidden" name="q" value={params.q} /> : null}
      <label htmlFor="sort" className={styles.label}>
        Sort by
      </label>
      <select
        id="sort"
        name="sort"
        className={styles.select}
        value={params.sort}
        onChange={(event) => {
          const sort = event.target.value as SortOption;
          // A new order starts from the first page; the old page number means nothing in it.
          startTransition(() => router.push(listingHref(path, params, { sort, page: 1 })));
        }}
      >
        {sortOptions.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className={styles.apply}>
          Apply
        </button>
      </noscript>
    </form>
  );
}
