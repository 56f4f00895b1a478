import "server-only";
import type { ControlPlaneRouter } from "@microshop/lab/router";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import { transformer } from "@microshop/transformer";

export type ControlPlaneClient = TRPCClient<ControlPlaneRouter>;

/**
 * The lab's control plane (the supervisor's `/control/trpc`, or any other implementation of
 * `ControlPlane`). Unbatched, as the supervisor's client is: a rolling deploy that takes a minute
 * must not hold up the snapshot polled every second. The bearer token travels in a header, never
 * the URL.
 */
export function createControlPlaneClient(url: string, controlToken?: string): ControlPlaneClient {
  return createTRPCClient<ControlPlaneRouter>({
    links: [
      httpLink({
        url,
        transformer,
        headers: () => (controlToken ? { authorization: `Bearer ${controlToken}` } : {}),
      }),
    ],
  });
}
