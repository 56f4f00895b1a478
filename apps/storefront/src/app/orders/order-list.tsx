"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeading } from "~/components/page-heading";
import { errorMessage } from "~/lib/error-message";
import { formatPrice } from "~/lib/format-price";
import { useTRPC } from "~/trpc/react";
import styles from "./orders.module.css";
import { statusLabel } from "./status-label";

export function OrderList() {
  const trpc = useTRPC();
  const orders = useQuery(trpc.orders.list.queryOptions(undefined, { retry: false }));
  if (orders.isPending) return <PageHeading title="Your orders">Loading…</PageHeading>;
  if (orders.isError) {
    return (
      <PageHeading title="Your orders">
        {errorMessage(orders.error)} <Link href="/sign-in?next=/orders">Sign in</Link>
      </PageHeading>
    );
  }
  if (orders.data.length === 0) return <PageHeading title="Your orders">No orders yet.</PageHeading>;
  return (
    <>
      <PageHeading title="Your orders" />
      <ul className={styles.list}>
        {orders.data.map((order) => (
          <li key={order.id} className={styles.item} data-testid="order-row">
            <Link href={`/orders/${order.id}`} className={styles.link}>
              <span className={styles.date}>
                {order.number} · {order.createdAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })}
              </span>
              <span>{order.lines.map((line) => `${line.name} × ${line.quantity}`).join(", ")}</span>
              <span className={`${styles.status} ${styles[order.status] ?? ""}`}>{statusLabel(order.status)}</span>
              <strong>{formatPrice(order.totalMinor, order.currency)}</strong>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
