"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import styles from "./stock-badge.module.css";

/** How often the badge asks again: stock moves while a shopper looks at the page. */
const REFRESH_MS = 5_000;

export function StockBadge({ productId }: { productId: string }) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery({
    ...trpc.stock.forProduct.queryOptions({ productId }),
    refetchInterval: REFRESH_MS,
  });

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
