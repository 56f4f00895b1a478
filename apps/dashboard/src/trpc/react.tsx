"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { csrfHeaders } from "@microshop/web-security/csrf";
import { adminTokenHeaders } from "~/lib/admin-token";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { transformer } from "@microshop/transformer";
import type { AppRouter } from "~/server/api/root";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The map polls; a failed poll is shown, then simply tried again on the next tick.
        retry: false,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** The browser talks to the dashboard's own BFF only: queries batched, the live stream over SSE. */
export function TRPCReactProvider({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer }),
          false: httpBatchLink({ url: "/api/trpc", transformer, headers: () => ({ ...csrfHeaders, ...adminTokenHeaders() }) }),
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
