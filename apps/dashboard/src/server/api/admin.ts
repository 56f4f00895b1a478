import { timingSafeEqual } from "node:crypto";
import { TRPCError } from "@trpc/server";

export { ADMIN_TOKEN_HEADER } from "~/lib/admin-token";

export interface AdminPolicy {
  /** The configured token, if any. */
  readonly token: string | undefined;
  /** Local development (a dev server, or the supervisor's own stack): control is open without a token. */
  readonly localDevelopment: boolean;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * May this request stop, start or restart processes? A configured token is always required; with
 * none configured, only local development may, so a dashboard deployed anywhere else is read-only
 * until someone sets `DASHBOARD_ADMIN_TOKEN`.
 */
export function authorizeControl(policy: AdminPolicy, presented: string | null): void {
  if (policy.token) {
    if (presented && same(presented, policy.token)) return;
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: presented ? "That admin token is not right." : "Enter the admin token to stop, start or restart processes.",
    });
  }
  if (policy.localDevelopment) return;
  throw new TRPCError({
    code: "FORBIDDEN",
    message: "Process control is off for this dashboard: set DASHBOARD_ADMIN_TOKEN to allow it outside local development.",
  });
}
