"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { PageHeading } from "~/components/page-heading";
import { errorMessage } from "~/lib/error-message";
import { formatPrice } from "~/lib/format-price";
import { useTRPC } from "~/trpc/react";
import styles from "./cart.module.css";

export function CartView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cart = useQuery(trpc.cart.get.queryOptions());
  const me = useQuery(trpc.account.me.queryOptions());
  const onSuccess = (data: NonNullable<typeof cart.data>) => queryClient.setQueryData(trpc.cart.get.queryKey(), data);
  const setQuantity = useMutation(trpc.cart.setQuantity.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.cart.remove.mutationOptions({ onSuccess }));
  const problem = setQuantity.error ?? remove.error;

  if (cart.isPending) return <PageHeading title="Your cart">Loading your cart…</PageHeading>;
  if (cart.isError) return <PageHeading title="Your cart">{errorMessage(cart.error)}</PageHeading>;
  const { lines, subtotalMinor, currency, itemCount, degraded } = cart.data;
  if (lines.length === 0) {
    return (
      <PageHeading title="Your cart is empty">
        <Link href="/search">Find something you like</Link>
      </PageHeading>
    );
  }
  const checkoutHref = me.data?.user ? "/checkout" : "/sign-in?next=/checkout";
  return (
    <>
      <PageHeading title="Your cart">{`${itemCount} ${itemCount === 1 ? "item" : "items"}`}</PageHeading>
      {degraded ? (
        <p className={styles.note}>Product details are unavailable right now; prices are as when you added them.</p>
      ) : null}
      {problem ? (
        <p role="alert" className={styles.alert}>
          {errorMessage(problem)}
        </p>
      ) : null}
      <ul className={styles.lines}>
        {lines.map((line) => (
          <li key={line.productId} className={styles.line} data-testid="cart-line">
            {line.product ? (
              <img src={line.product.image} alt="" width={96} height={96} className={styles.image} />
            ) : (
              <div className={styles.image} />
            )}
            <div className={styles.info}>
              {line.product ? <Link href={`/p/${line.product.slug}`}>{line.product.name}</Link> : <span>{line.productId}</span>}
              <span className={styles.unit}>{formatPrice(line.unitPriceMinor, line.currency)} each</span>
              {line.priceChanged ? (
                <span className={styles.changed}>
                  Price changed since you added it (was {formatPrice(line.addedPriceMinor, line.currency)})
                </span>
              ) : null}
            </div>
            <label className={styles.quantity}>
              <span className="visually-hidden">Quantity of {line.product?.name ?? line.productId}</span>
              <select
                value={line.quantity}
                onChange={(event) => setQuantity.mutate({ productId: line.productId, quantity: Number(event.target.value) })}
                disabled={setQuantity.isPending}
              >
                {Array.from({ length: Math.max(10, line.quantity) }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <span className={styles.total}>{formatPrice(line.lineTotalMinor, line.currency)}</span>
            <button type="button" className={styles.remove} onClick={() => remove.mutate({ productId: line.productId })}>
              Remove<span className="visually-hidden"> {line.product?.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className={styles.summary}>
        <p className={styles.subtotal}>
          Subtotal <strong data-testid="cart-subtotal">{formatPrice(subtotalMinor, currency)}</strong>
        </p>
        <Link href={checkoutHref} className={styles.checkout}>
          Checkout
        </Link>
      </div>
    </>
  );
}
