"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";
import styles from "./site-header.module.css";

export function CartBadge() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.cart.get.queryOptions());
  const count = data?.itemCount ?? 0;
  return (
    <Link href="/cart" className={styles.cart} aria-label={`Cart, ${count} ${count === 1 ? "item" : "items"}`}>
      <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
        <path d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.9a2 2 0 0 0 2-1.5L21 8H6.2" strokeLinecap="round" strokeLinejoin="round" />
        <circle cx="10" cy="20" r="1.3" />
        <circle cx="17" cy="20" r="1.3" />
      </svg>
      {count > 0 ? (
        <span className={styles.badge} data-testid="cart-count">
          {count}
        </span>
      ) : null}
    </Link>
  );
}
