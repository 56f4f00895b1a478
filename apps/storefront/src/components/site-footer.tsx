import Link from "next/link";
import styles from "./site-footer.module.css";

export function SiteFooter() {
  return (
    <footer className={styles.footer}>
      <div className={`container ${styles.inner}`}>
        <p className={styles.brand}>Microshop</p>
        <p className={styles.note}>A demo store built as microservices. Prices in US dollars; nothing here ships.</p>
        <nav aria-label="Footer">
          <Link href="/search">All products</Link>
        </nav>
      </div>
    </footer>
  );
}
