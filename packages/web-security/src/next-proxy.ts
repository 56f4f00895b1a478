/**
 * The Next.js Proxy (formerly middleware) of every web app of ours: security headers and a fresh
 * Content-Security-Policy nonce on every page. Next.js reads the nonce from the request's CSP header
 * and puts it on its own scripts, which is why such pages must be rendered per request (the root
 * layout awaits `connection()`). Each app's `src/proxy.ts` calls this and declares its own matcher.
 */
import { NextResponse, type NextRequest } from "next/server";
import { createNonce } from "./csp";
import { documentSecurityHeaders } from "./document";
import { isHttpsRequest } from "./headers";

export interface SecurityProxyOptions {
  /** The app's validated NODE_ENV is "development": the policy allows what the dev server needs. */
  readonly dev: boolean;
}

export function securityProxy(request: NextRequest, options: SecurityProxyOptions): NextResponse {
  const nonce = createNonce();
  const headers = documentSecurityHeaders({ nonce, https: isHttpsRequest(request), dev: options.dev });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
