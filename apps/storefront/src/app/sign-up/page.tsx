import type { Metadata } from "next";
import { Suspense } from "react";
import { AccountForm } from "~/components/account-form";
import { PageHeading } from "~/components/page-heading";

export const metadata: Metadata = { title: "Create your account" };

export default function Page() {
  return (
    <div className="container">
      <PageHeading title="Create your account" />
      <Suspense>
        <AccountForm mode="sign-up" />
      </Suspense>
    </div>
  );
}
