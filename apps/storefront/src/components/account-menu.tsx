"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import styles from "./site-header.module.css";

export function AccountMenu() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data } = useQuery(trpc.account.me.queryOptions());
  const signOut = useMutation(
    trpc.account.signOut.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        router.push("/");
      },
    }),
  );
  if (!data?.user) {
    return (
      <Link href="/sign-in" className={styles.navLink}>
        Sign in
      </Link>
    );
  }
  return (
    <>
      <Link href="/orders" className={styles.navLink}>
        Orders
      </Link>
      <Link href="/inbox" className={styles.navLink}>
        Inbox
      </Link>
      <button
        type="button"
        className={styles.navButton}
        onClick={() => signOut.mutate()}
        title={`Signed in as ${data.user.name} (${data.user.email})`}
      >
        Sign out
      </button>
    </>
  );
}
