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
        <Link href="/" className={styles.logo}>
          {/* The letter is drawn by CSS: the link's name is its visible word, as WCAG 2.5.3 asks. */}
          <span className={styles.mark} aria-hidden="true" />
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
