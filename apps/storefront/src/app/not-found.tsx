import type { Metadata } from "next";
import Link from "next/link";
import { HomeLink, Notice } from "~/components/notice";
import styles from "~/components/notice.module.css";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="container">
      <Notice
        title="We couldn’t find that page"
        actions={
          <>
            <Link href="/search" className={styles.primary}>
              Browse all products
            </Link>
            <HomeLink />
          </>
        }
      >
        <p>The product or category may have moved or sold out for good. The search box above can help you find it.</p>
      </Notice>
    </div>
  );
}
