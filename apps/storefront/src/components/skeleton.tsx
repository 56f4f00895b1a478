import styles from "./skeleton.module.css";

/** A grey block standing in for content while the server fetches it. */
export function Skeleton({ width, height, radius }: { width?: string; height: string; radius?: string }) {
  return <span className={styles.block} style={{ width: width ?? "100%", height, borderRadius: radius }} />;
}

export function ProductGridSkeleton({ count = 8 }: { count?: number }) {
  return (
    <ul className={styles.grid} aria-hidden="true">
      {Array.from({ length: count }, (_, index) => (
        <li key={index} className={styles.card}>
          <Skeleton height="auto" radius="0" />
          <span className={styles.cardBody}>
            <Skeleton width="40%" height="0.8rem" />
            <Skeleton width="80%" height="1.1rem" />
            <Skeleton width="30%" height="1.1rem" />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Announces loading once to screen readers; the grey blocks themselves are hidden from them. */
export function LoadingLabel({ text }: { text: string }) {
  return (
    <p role="status" className="visually-hidden">
      {text}
    </p>
  );
}
