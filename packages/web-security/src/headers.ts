/**
 * The security headers every response of our Next.js apps carries, besides the CSP (see csp.ts),
 * which needs a per-request nonce and so is set next to these by each app's `proxy.ts`.
 */

export interface SecurityHeaderOptions {
  /** Served over HTTPS: add Strict-Transport-Security, which is ignored (and pointless) over HTTP. */
  readonly https?: boolean;
}

export function securityHeaders(options: SecurityHeaderOptions = {}): Record<string, string> {
  return {
    // A response is what its Content-Type says: an uploaded or echoed text never runs as a script.
    "X-Content-Type-Options": "nosniff",
    // Other sites learn our origin at most, never a path like /orders/<id>.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // For browsers that predate CSP's frame-ancestors.
    "X-Frame-Options": "DENY",
    // A window we open (or that opens us) gets no handle on ours.
    "Cross-Origin-Opener-Policy": "same-origin",
    // Other origins cannot embed our responses (images, JSON) in their pages.
    "Cross-Origin-Resource-Policy": "same-origin",
    // Powerful features we never use stay off, even for injected or embedded content.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Sets `securityHeaders` on a response's headers (overwriting what a handler may have set). */
export function applySecurityHeaders(headers: Headers, options: SecurityHeaderOptions = {}): void {
  for (const [name, value] of Object.entries(securityHeaders(options))) headers.set(name, value);
}

/**
 * Whether the request reached us over HTTPS: the URL says so, or the reverse proxy in front of us
 * does (`X-Forwarded-Proto`, which Next.js also fills in). Used for HSTS and Secure cookies.
 */
export function isHttpsRequest(request: { readonly url: string; readonly headers: Headers }): boolean {
  return forwardedHttps(request.headers.get("x-forwarded-proto")) ?? request.url.startsWith("https:");
}

/** What an `X-Forwarded-Proto` value says (its first hop's): HTTPS or not; undefined when it is absent. */
export function forwardedHttps(value: string | null | undefined): boolean | undefined {
  const forwarded = value?.split(",")[0]?.trim().toLowerCase();
  return forwarded ? forwarded === "https" : undefined;
}
