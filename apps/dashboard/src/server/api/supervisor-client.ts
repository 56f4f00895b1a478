import "server-only";
import { SERVICE_TOKEN_HEADER } from "@microshop/service-auth";
import type { SupervisorRouter } from "@microshop/supervisor/router";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import superjson from "superjson";
import type { ServiceTokenSource } from "./telemetry-client";

export type SupervisorClient = TRPCClient<SupervisorRouter>;

/** Unbatched: a slow `start` (it waits for readiness) must not hold up the 1 s process poll. */
export function createSupervisorClient(url: string, serviceToken?: ServiceTokenSource): SupervisorClient {
  return createTRPCClient<SupervisorRouter>({
    links: [
      httpLink({
        url,
        transformer: superjson,
        headers: async () => (serviceToken ? { [SERVICE_TOKEN_HEADER]: await serviceToken() } : {}),
      }),
    ],
  });
}
