import { sameSecret as same } from "@microshop/service-auth";
import { TRPCError } from "@trpc/server";

export { ADMIN_TOKEN_HEADER } from "~/lib/admin-token";

export interface AdminPolicy {
  /** The configured token, if any. */
  readonly token: string | undefined;
  /** The dashboard listens on loopback only: control is open without a token, to this machine alone. */
  readonly loopbackOnly: boolean;
}

/** Is this listening address reachable from this machine only? (Wildcards and named interfaces are not.) */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * May this request stop, start or restart processes? A configured token is always required; with
 * none configured, only a dashboard bound to loopback may, so one reachable from the network is
 * read-only until someone sets `DASHBOARD_ADMIN_TOKEN`.
 */
export function authorizeControl(policy: AdminPolicy, presented: string | null): void {
  if (policy.token) {
    if (presented && same(presented, policy.token)) return;
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: presented ? "That admin token is not right." : "Enter the admin token to stop, start or restart processes.",
    });
  }
  if (policy.loopbackOnly) return;
  throw new TRPCError({
    code: "FORBIDDEN",
    message:
      "Process control is off for this dashboard: it is reachable from the network, so set DASHBOARD_ADMIN_TOKEN to allow it.",
  });
}
