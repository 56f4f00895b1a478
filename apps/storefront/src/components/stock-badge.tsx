"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import styles from "./stock-badge.module.css";

/** How often the badge asks again: stock moves while a shopper looks at the page. */
const REFRESH_MS = 5_000;

/**
 * The product's stock, live: asked from the browser and again every few seconds. Rendered on the
 * server only when the page prefetched it (with the page cache off); a kept page holds the skeleton,
 * never a stock level that would be stale by the time it is served again.
 */
export function StockBadge({ productId }: { productId: string }) {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.stock.forProduct.queryOptions({ productId }),
    refetchInterval: REFRESH_MS,
  });
  if (!data) return <StockBadgeSkeleton />;

  return (
    <p className={`${styles.badge} ${styles[data.status]}`} data-testid="stock-status" data-status={data.status} role="status">
      <span className={styles.dot} aria-hidden="true" />
      {data.label}
    </p>
  );
}

export function StockBadgeSkeleton() {
  return (
    <p className={`${styles.badge} ${styles.loading}`} aria-hidden="true">
      <span className={styles.dot} />
      Checking stock…
    </p>
  );
}
