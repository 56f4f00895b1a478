"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { PageHeading } from "~/components/page-heading";
import { errorMessage } from "~/lib/error-message";
import { formatPrice } from "~/lib/format-price";
import { useTRPC } from "~/trpc/react";
import styles from "../orders.module.css";
import { statusLabel } from "../status-label";

export function OrderDetail({ orderId }: { readonly orderId: string }) {
  const trpc = useTRPC();
  const justPlaced = useSearchParams().get("placed") === "1";
  const order = useQuery(
    trpc.orders.get.queryOptions(
      { orderId },
      {
        retry: false,
        // While the saga is still running (a slow card), look again every second.
        refetchInterval: (query) =>
          query.state.data && query.state.data.status !== "paid" && query.state.data.status !== "failed" ? 1_000 : false,
      },
    ),
  );
  if (order.isPending) return <PageHeading title="Your order">Loading…</PageHeading>;
  if (order.isError) return <PageHeading title="Order not found">{errorMessage(order.error)}</PageHeading>;
  const data = order.data;
  const title =
    data.status === "paid"
      ? justPlaced
        ? "Thank you for your order!"
        : "Order confirmed"
      : data.status === "failed"
        ? "Order not completed"
        : "Processing your order";
  return (
    <>
      <PageHeading title={title} eyebrow={`Order ${data.number}`}>
        {data.status === "paid" ? `A confirmation is on its way to ${data.email}.` : null}
        {data.failure ? data.failure.message : null}
        {data.status !== "paid" && data.status !== "failed"
          ? "Your payment is being confirmed; this page updates by itself."
          : null}
      </PageHeading>
      <p>
        Status:{" "}
        <span className={`${styles.status} ${styles[data.status] ?? ""}`} data-testid="order-status">
          {statusLabel(data.status)}
        </span>
      </p>
      <ul className={styles.lines}>
        {data.lines.map((line) => (
          <li key={line.productId}>
            <span>
              {line.name} × {line.quantity}
            </span>
            <span>{formatPrice(line.unitPriceMinor * line.quantity, data.currency)}</span>
          </li>
        ))}
        <li className={styles.totalLine}>
          <span>Total{data.cardLast4 ? ` (card ending ${data.cardLast4})` : ""}</span>
          <strong data-testid="order-total">{formatPrice(data.totalMinor, data.currency)}</strong>
        </li>
      </ul>
      <p className={styles.address}>
        Shipping to {data.shippingAddress.name}, {data.shippingAddress.line1}, {data.shippingAddress.postalCode}{" "}
        {data.shippingAddress.city}, {data.shippingAddress.country}
      </p>
      <p>
        <Link href="/orders">All your orders</Link> · <Link href="/inbox">Your inbox</Link>
      </p>
    </>
  );
}
