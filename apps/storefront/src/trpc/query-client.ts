import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import { transformer } from "@microshop/transformer";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh for a moment, so the browser does not fetch it again at once.
        staleTime: 30 * 1000,
      },
      dehydrate: {
        serializeData: transformer.serialize,
        // Pending queries are streamed to the browser too: a slow stock call does not hold up the page.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
        // Our errors carry shopper-ready messages; let them through to the client.
        shouldRedactErrors: () => false,
      },
      hydrate: {
        deserializeData: transformer.deserialize,
      },
    },
  });
}
