/**
 * Cross-site request forgery defence for an API that the browser reaches with `fetch` (a tRPC BFF).
 *
 * Our session cookie is SameSite=Lax, which already keeps it off cross-site POSTs in current
 * browsers; this check does not rely on that alone (same-site sibling subdomains, old browsers, Lax
 * exceptions). It follows OWASP's CSRF cheat sheet, no token needed because nothing is a form post:
 *
 * 1. Fetch Metadata: `Sec-Fetch-Site` must be `same-origin` when the browser sends it (all current
 *    ones do). This refuses cross-site and same-site-but-other-origin requests alike.
 * 2. Origin: when present it must be our own origin (or one listed as trusted). `Origin: null`
 *    (sandboxed frames, `data:` pages) is refused.
 * 3. A custom request header (`X-CSRF-Protection: 1`) that our tRPC client always sends. A page on
 *    another origin cannot add a custom header without a CORS preflight, which we never approve, and
 *    an HTML form cannot add one at all; so even a browser that sends neither header above is safe.
 *
 * Only unsafe methods are checked: GET and HEAD must not change anything (tRPC refuses to run a
 * mutation over GET), and refusing them would break links into the shop.
 */

export const csrfHeaderName = "x-csrf-protection";
export const csrfHeaders: Readonly<Record<string, string>> = { [csrfHeaderName]: "1" };

export type CsrfVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface CsrfRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

export interface CsrfOptions {
  /** Origins besides the request's own that may send state-changing requests, e.g. `https://shop.example`. */
  readonly trustedOrigins?: readonly string[];
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin the browser used to reach us: the Host it sent (a proxy's X-Forwarded-Host first). */
function ownOrigins(request: CsrfRequest): Set<string> {
  const url = new URL(request.url);
  const origins = new Set([url.origin]);
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? url.protocol.replace(":", "");
  if (host) origins.add(`${proto}://${host}`.toLowerCase());
  return origins;
}

export function checkCsrf(request: CsrfRequest, options: CsrfOptions = {}): CsrfVerdict {
  if (safeMethods.has(request.method.toUpperCase())) return { ok: true };
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return { ok: false, reason: `a ${site} request` };
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const allowed = ownOrigins(request);
    for (const trusted of options.trustedOrigins ?? []) allowed.add(trusted.toLowerCase());
    if (!allowed.has(origin.toLowerCase())) return { ok: false, reason: `a request from ${origin}` };
  }
  if (request.headers.get(csrfHeaderName) !== "1") return { ok: false, reason: `a request without the ${csrfHeaderName} header` };
  return { ok: true };
}

/** What a shopper reads when a forged (or very stale) request is refused. */
export const csrfRefusalMessage = "This request came from outside the shop and was refused. Reload the page and try again.";
