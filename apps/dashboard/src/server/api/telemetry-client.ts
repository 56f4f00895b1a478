import "server-only";
import { SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import type { TelemetryRouter } from "@microshop/telemetry-service/router";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import { EventSource, type FetchLike } from "eventsource";
import { transformer } from "@microshop/transformer";

export type TelemetryClient = TRPCClient<TelemetryRouter>;

/** Signs a call as one of the system's processes; absent when the stack runs without a shared secret. */
export type ServiceTokenSource = () => Promise<string>;

/**
 * Queries batched over HTTP; the live stream over SSE (Node has no EventSource, so the ponyfill,
 * whose `fetch` option lets the stream carry the service token like every other call).
 */
export function createTelemetryClient(url: string, serviceToken?: ServiceTokenSource): TelemetryClient {
  const signedFetch: FetchLike | undefined = serviceToken
    ? async (input, init) => fetch(input, { ...init, headers: { ...init.headers, [SERVICE_TOKEN_HEADER]: await serviceToken() } })
    : undefined;
  return createTRPCClient<TelemetryRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          transformer,
          EventSource,
          eventSourceOptions: signedFetch ? { fetch: signedFetch } : {},
        }),
        false: httpBatchLink({
          url,
          transformer,
          headers: async () => (serviceToken ? { [SERVICE_TOKEN_HEADER]: await serviceToken() } : {}),
        }),
      }),
    ],
  });
}
