import type { Metadata } from "next";
import { Suspense } from "react";
import { AccountForm } from "~/components/account-form";
import { PageHeading } from "~/components/page-heading";

export const metadata: Metadata = { title: "Sign in" };

export default function Page() {
  return (
    <div className="container">
      <PageHeading title="Sign in" />
      <Suspense>
        <AccountForm mode="sign-in" />
      </Suspense>
    </div>
  );
}
