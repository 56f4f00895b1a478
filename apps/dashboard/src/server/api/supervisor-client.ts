import "server-only";
import type { SupervisorRouter } from "@microshop/supervisor/router";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import { transformer } from "@microshop/transformer";

export type SupervisorClient = TRPCClient<SupervisorRouter>;

/**
 * Unbatched: a slow `start` (it waits for readiness) must not hold up the 1 s process poll. Every
 * call carries the control API's bearer token, in a header (never the URL).
 */
export function createSupervisorClient(url: string, controlToken?: string): SupervisorClient {
  return createTRPCClient<SupervisorRouter>({
    links: [
      httpLink({
        url,
        transformer,
        headers: () => (controlToken ? { authorization: `Bearer ${controlToken}` } : {}),
      }),
    ],
  });
}
