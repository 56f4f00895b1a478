import type { Metadata } from "next";
import { EmailView } from "./email-view";

export const metadata: Metadata = { title: "Email" };

export default async function EmailPage({ params }: { readonly params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="container">
      <EmailView id={id} />
    </div>
  );
}
