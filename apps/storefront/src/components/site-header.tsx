import Link from "next/link";
import { Suspense } from "react";
import { AccountMenu } from "./account-menu";
import { CartBadge } from "./cart-badge";
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
          <AccountMenu />
          <CartBadge />
        </nav>
      </div>
    </header>
  );
}
