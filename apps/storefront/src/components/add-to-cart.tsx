"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage } from "~/lib/error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./add-to-cart.module.css";

export function AddToCart({ productId }: { readonly productId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [quantity, setQuantity] = useState(1);
  const add = useMutation(
    trpc.cart.add.mutationOptions({
      onSuccess: (cart) => queryClient.setQueryData(trpc.cart.get.queryKey(), cart),
    }),
  );
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ productId, quantity });
      }}
    >
      <label className={styles.quantity}>
        <span>Quantity</span>
        <input
          type="number"
          min={1}
          max={100}
          value={quantity}
          onChange={(event) => setQuantity(Math.max(1, Number(event.target.value) || 1))}
        />
      </label>
      <button type="submit" className={styles.button} disabled={add.isPending}>
        {add.isPending ? "Adding…" : "Add to cart"}
      </button>
      <div className={styles.feedback} aria-live="polite">
        {add.isSuccess ? (
          <p role="status" className={styles.added} data-testid="cart-feedback">
            Added to cart. <Link href="/cart">View cart</Link>
          </p>
        ) : null}
        {add.isError ? (
          <p role="alert" className={styles.error} data-testid="cart-feedback">
            {errorMessage(add.error)}
          </p>
        ) : null}
      </div>
    </form>
  );
}
