/** Security headers and a CSP nonce on every page (see @microshop/web-security/next-proxy). */
import { securityProxy } from "@microshop/web-security/next-proxy";
import type { NextRequest, NextResponse } from "next/server";
import { env } from "~/env";

export function proxy(request: NextRequest): NextResponse {
  return securityProxy(request, { dev: env.NODE_ENV === "development" });
}

export const config = {
  matcher: [
    {
      // Not /api (the BFF sets its own headers, and keeps its live stream unbuffered), not the
      // build's static files, not prefetches.
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
