import type { Metadata, Viewport } from "next";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Microshop · live architecture",
  description: "Watch every request travel between Microshop's services.",
};

export const viewport: Viewport = { themeColor: "#0a0e17" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
