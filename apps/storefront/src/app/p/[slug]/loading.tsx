import { LoadingLabel, Skeleton } from "~/components/skeleton";
import styles from "./product.module.css";

export default function ProductLoading() {
  return (
    <div className="container" style={{ paddingTop: "var(--space-5)" }}>
      <LoadingLabel text="Loading product…" />
      <Skeleton width="14rem" height="0.9rem" />
      <div className={styles.layout} aria-hidden="true">
        <div className={styles.gallery}>
          <Skeleton height="100%" radius="0" />
        </div>
        <div className={styles.details}>
          <Skeleton width="6rem" height="0.9rem" />
          <Skeleton width="80%" height="2.6rem" />
          <Skeleton width="7rem" height="1.8rem" />
          <Skeleton width="8rem" height="1.8rem" radius="999px" />
          <Skeleton width="11rem" height="3rem" radius="999px" />
          <Skeleton height="6rem" />
        </div>
      </div>
    </div>
  );
}
