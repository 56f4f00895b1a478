import Link from "next/link";
import styles from "./pagination.module.css";

interface PaginationProps {
  readonly page: number;
  readonly pageCount: number;
  /** Builds the address of another page, keeping the rest of the query (search terms, sort). */
  readonly hrefFor: (page: number) => string;
}

export function Pagination({ page, pageCount, hrefFor }: PaginationProps) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pagination" className={styles.nav}>
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} className={styles.step} rel="prev">
          <span aria-hidden="true">←</span> Previous page
        </Link>
      ) : (
        <span className={`${styles.step} ${styles.disabled}`} aria-hidden="true">
          ← Previous page
        </span>
      )}
      <p className={styles.status}>
        Page {page} of {pageCount}
      </p>
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} className={styles.step} rel="next">
          Next page <span aria-hidden="true">→</span>
        </Link>
      ) : (
        <span className={`${styles.step} ${styles.disabled}`} aria-hidden="true">
          Next page →
        </span>
      )}
    </nav>
  );
}
