/**
 * The Content-Security-Policy of our Next.js apps: a strict, nonce-based policy as the Next.js guide
 * describes it (https://nextjs.org/docs/app/guides/content-security-policy), written once so the
 * storefront and the dashboard cannot drift apart.
 *
 * Why each source is there:
 * - scripts: only those carrying this response's nonce, and what they load ('strict-dynamic').
 *   Next.js puts the nonce on its own inline and bundle scripts when it finds it in the request's
 *   CSP header, so the pages must be dynamically rendered. No 'unsafe-inline', so an injected
 *   `<script>` or `onerror=` never runs.
 * - styles: stylesheets from our origin and nonce-carrying `<style>` elements. Style *attributes*
 *   are allowed (`style-src-attr 'unsafe-inline'`): React server-renders `style={...}` as attributes
 *   and emails (shown in a `srcdoc` iframe, which inherits this policy) are styled inline. A style
 *   attribute cannot run script, and with `img-src`/`font-src`/`connect-src` limited to our origin it
 *   cannot send data anywhere either.
 * - connect: our origin only: the BFF (`/api/trpc`) and the browser's OpenTelemetry exporter
 *   (`/api/otel/...`) are same-origin routes; `connectSrc` adds origins an app really calls.
 * - frames: nobody may frame us (`frame-ancestors 'none'`: clickjacking); we embed only our origin
 *   and `srcdoc` documents.
 */

export interface CspOptions {
  /** This response's nonce: fresh and unpredictable per request (see `createNonce`). */
  readonly nonce: string;
  /**
   * Development server: React needs `eval` for its debugging aids, and dev CSS is injected as
   * `<style>` tags without a nonce. Never in production.
   */
  readonly dev?: boolean;
  /** Served over HTTPS: ask the browser to upgrade any stray http:// subresource. */
  readonly https?: boolean;
  /** Extra origins for fetch, XHR, EventSource and WebSocket, e.g. `https://otel.example.com`. */
  readonly connectSrc?: readonly string[];
  /** Extra origins images may come from. */
  readonly imgSrc?: readonly string[];
}

/** 16 random bytes, base64: what CSP's `'nonce-…'` expects, unguessable by an attacker. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

const nonceFormat = /^[A-Za-z0-9+/_-]+={0,2}$/;
const sourceFormat = /^(https?|wss?):\/\/[A-Za-z0-9.-]+(:\d+)?$/;

function checkedSources(sources: readonly string[] | undefined, directive: string): string[] {
  for (const source of sources ?? []) {
    // A source with a space or `;` would smuggle in another directive.
    if (!sourceFormat.test(source)) throw new Error(`${directive}: "${source}" is not an origin like https://example.com`);
  }
  return [...(sources ?? [])];
}

/** The policy as a header value. Throws on a malformed nonce or origin: a policy must not be injectable. */
export function buildContentSecurityPolicy(options: CspOptions): string {
  if (!nonceFormat.test(options.nonce)) throw new Error("The CSP nonce must be base64");
  const nonce = `'nonce-${options.nonce}'`;
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'", nonce, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    // In development the nonce would switch 'unsafe-inline' off, and dev CSS comes as bare <style>.
    ["style-src", "'self'", ...(options.dev ? ["'unsafe-inline'"] : [nonce])],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:", ...checkedSources(options.imgSrc, "img-src")],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...checkedSources(options.connectSrc, "connect-src")],
    ["frame-src", "'self'"],
    ["worker-src", "'self'", "blob:"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (options.https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((parts) => parts.join(" ")).join("; ");
}
