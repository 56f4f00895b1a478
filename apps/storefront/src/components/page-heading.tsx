import styles from "./page-heading.module.css";

export function PageHeading({
  title,
  children,
  eyebrow,
}: {
  title: string;
  children?: React.ReactNode;
  eyebrow?: React.ReactNode;
}) {
  return (
    <header className={styles.heading}>
      {eyebrow ? <div className={styles.eyebrow}>{eyebrow}</div> : null}
      <h1 className={styles.title}>{title}</h1>
      {children ? <div className={styles.text}>{children}</div> : null}
    </header>
  );
}
