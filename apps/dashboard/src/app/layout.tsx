import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Microshop · live architecture",
  description: "Watch every request travel between Microshop's services.",
};

export const viewport: Viewport = { themeColor: "#0a0e17" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request: Next.js puts the proxy's CSP nonce on its scripts only then (src/proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
