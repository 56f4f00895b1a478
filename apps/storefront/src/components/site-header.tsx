import Link from "next/link";
import { Suspense } from "react";
import { SearchBox, SearchBoxFallback } from "./search-box";
import styles from "./site-header.module.css";

export function SiteHeader() {
  return (
    <header className={styles.header}>
      <div className={`container ${styles.inner}`}>
        <Link href="/" className={styles.logo} aria-label="Microshop home">
          <span className={styles.mark} aria-hidden="true">
            m
          </span>
          <span className={styles.wordmark}>Microshop</span>
        </Link>
        <div className={styles.search}>
          {/* The box reads the current query from the URL; that needs a boundary of its own. */}
          <Suspense fallback={<SearchBoxFallback />}>
            <SearchBox />
          </Suspense>
        </div>
        <nav aria-label="Main" className={styles.nav}>
          <Link href="/search" className={styles.navLink}>
            Shop all
          </Link>
          <span
            className={styles.cart}
            title="Cart coming soon"
            aria-label="Cart (coming soon)"
          >
            <svg
              width="22"
              height="22"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              aria-hidden="true"
            >
              <path
                d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.9a2 2 0 0 0 2-1.5L21 8H6.2"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
              <circle cx="10" cy="20" r="1.3" />
              <circle cx="17" cy="20" r="1.3" />
            </svg>
          </span>
        </nav>
      </div>
    </header>
  );
}
