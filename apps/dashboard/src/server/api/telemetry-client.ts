import "server-only";
import { SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import type { TelemetryRouter } from "@microshop/telemetry-service/router";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import { EventSource, type FetchLike } from "eventsource";
import superjson from "superjson";
import type { ContractTelemetryRouter } from "~/testing/contract-telemetry";

/**
 * The telemetry service's router type. Should the real router lack part of the agreed contract
 * (node, edge, live), the contract stand-in's type is used instead: both speak the same wire format.
 */
type OffersContract<R> = R extends { _def: { record: { node: unknown; edge: unknown; live: unknown } } } ? true : false;
export type TelemetryApiRouter = OffersContract<TelemetryRouter> extends true ? TelemetryRouter : ContractTelemetryRouter;
export type TelemetryClient = TRPCClient<TelemetryApiRouter>;

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
  return createTRPCClient<TelemetryApiRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url, transformer: superjson, EventSource, eventSourceOptions: signedFetch ? { fetch: signedFetch } : {} }),
        false: httpBatchLink({
          url,
          transformer: superjson,
          headers: async () => (serviceToken ? { [SERVICE_TOKEN_HEADER]: await serviceToken() } : {}),
        }),
      }),
    ],
  });
}
