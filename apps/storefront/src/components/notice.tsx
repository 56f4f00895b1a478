import Link from "next/link";
import styles from "./notice.module.css";

interface NoticeProps {
  readonly title: string;
  readonly children: React.ReactNode;
  /** Buttons or links under the text. */
  readonly actions?: React.ReactNode;
  readonly tone?: "neutral" | "problem";
  readonly headingLevel?: 1 | 2;
}

/** A full-width message in place of content: nothing found, a service away, a page that failed. */
export function Notice({ title, children, actions, tone = "neutral", headingLevel = 1 }: NoticeProps) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section className={`${styles.notice} ${tone === "problem" ? styles.problem : ""}`}>
      <div className={styles.icon} aria-hidden="true">
        {tone === "problem" ? "!" : "?"}
      </div>
      <Heading className={styles.title}>{title}</Heading>
      <div className={styles.body}>{children}</div>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </section>
  );
}

export function HomeLink() {
  return (
    <Link href="/" className={styles.secondary}>
      Back to the shop
    </Link>
  );
}
