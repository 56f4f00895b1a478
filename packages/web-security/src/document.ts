/**
 * Every header a document (an HTML page) of our Next.js apps carries for security: the CSP with this
 * response's nonce and the rest (`securityHeaders`). Written once for the two places that send
 * documents: the Next.js Proxy (`./next-proxy`) on a page Next.js renders, and the storefront's page
 * cache on a page it serves again with a fresh nonce.
 */
import { buildContentSecurityPolicy } from "./csp";
import { securityHeaders } from "./headers";

export interface DocumentSecurityOptions {
  /** This response's nonce (`createNonce`), never one sent before. */
  readonly nonce: string;
  readonly https: boolean;
  /** The development server (see `CspOptions.dev`). */
  readonly dev: boolean;
}

export type DocumentSecurityHeaders = Readonly<Record<string, string>> & { readonly "Content-Security-Policy": string };

export function documentSecurityHeaders(options: DocumentSecurityOptions): DocumentSecurityHeaders {
  return {
    "Content-Security-Policy": buildContentSecurityPolicy(options),
    ...securityHeaders({ https: options.https }),
  };
}
