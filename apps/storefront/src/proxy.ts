/**
 * Next.js Proxy (formerly middleware): gives every page its security headers and a fresh
 * Content-Security-Policy nonce. Next.js reads the nonce from the request's CSP header and puts it on
 * its own scripts, which is why the pages are dynamically rendered (see app/layout.tsx).
 * The policy itself lives in @microshop/web-security, shared with the dashboard.
 */
import { buildContentSecurityPolicy, createNonce } from "@microshop/web-security/csp";
import { applySecurityHeaders, isHttpsRequest } from "@microshop/web-security/headers";
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const https = isHttpsRequest(request);
  const policy = buildContentSecurityPolicy({ nonce, https, dev: process.env.NODE_ENV === "development" });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  applySecurityHeaders(response.headers, { https });
  return response;
}

export const config = {
  matcher: [
    {
      // Not /api (the BFF sets its own headers, and a proxy would copy every request body), not the
      // build's static files; and not prefetches, which are not documents a policy applies to.
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
