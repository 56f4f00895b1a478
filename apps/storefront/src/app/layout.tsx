import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { SiteFooter } from "~/components/site-footer";
import { SiteHeader } from "~/components/site-header";
import { env } from "~/env";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: {
    default: "Microshop — good things for everyday living",
    template: "%s · Microshop",
  },
  description: "Thoughtfully made goods for the kitchen, home and everyday life.",
};

export const viewport: Viewport = {
  themeColor: "#fbf8f3",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next.js can only put the CSP nonce (src/proxy.ts) on its scripts then.
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <TRPCReactProvider logAll={env.NODE_ENV === "development"}>
          <SiteHeader />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
          <SiteFooter />
        </TRPCReactProvider>
      </body>
    </html>
  );
}
