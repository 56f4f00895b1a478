"use client";

import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { csrfHeaders } from "@microshop/web-security/csrf";
import { createTRPCClient, httpBatchLink, httpLink, loggerLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { transformer } from "@microshop/transformer";
import type { AppRouter } from "~/server/api/root";
import { createQueryClient } from "./query-client";
import { stockPath } from "./stock-query";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  // On the server every request gets its own client, so one shopper's data never reaches another.
  if (typeof window === "undefined") return createQueryClient();
  return (browserQueryClient ??= createQueryClient());
}

/** `logAll`: the server's validated NODE_ENV is "development"; otherwise only failed calls are logged. */
export function TRPCReactProvider({ children, logAll }: { children: React.ReactNode; logAll: boolean }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        loggerLink({
          enabled: (op) => logAll || (op.direction === "down" && op.result instanceof Error),
        }),
        // The custom header proves the call comes from our own pages: the BFF refuses mutations without it (CSRF).
        // Stock goes alone, at the URL a product page preloads (./stock-query); the rest in batches.
        splitLink({
          condition: (op) => op.path === stockPath,
          true: httpLink({ url: "/api/trpc", transformer, headers: csrfHeaders }),
          false: httpBatchLink({ url: "/api/trpc", transformer, headers: csrfHeaders }),
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
