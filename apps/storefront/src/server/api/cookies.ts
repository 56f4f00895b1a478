import { parseCookie, stringifySetCookie } from "cookie";
import { env } from "~/env";

export const sessionCookie = "ms_session";
export const visitorCookie = "ms_visitor";

export function readCookie(headers: Headers, name: string): string | undefined {
  const value = parseCookie(headers.get("cookie") ?? "")[name];
  return value && value.length > 0 ? value : undefined;
}

/**
 * Whether cookies must be Secure: always when `COOKIE_SECURE=true` (a deployment behind HTTPS), and
 * for any request that came over HTTPS, as Next.js (or the proxy in front) reports in
 * `X-Forwarded-Proto`. Local runs are plain HTTP, where a Secure cookie would never come back.
 */
export function cookiesAreSecure(requestHeaders: Headers, cookieSecure = env.COOKIE_SECURE): boolean {
  if (cookieSecure === "true") return true;
  return requestHeaders.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

interface CookieTarget {
  /** The request's headers: they say whether it came over HTTPS. */
  readonly headers: Headers;
  readonly resHeaders: Headers;
}

/** httpOnly: scripts never see the token. SameSite=Lax: other sites cannot send it with a form post. */
export function setCookie(target: CookieTarget, name: string, value: string, maxAgeSeconds: number): void {
  const secure = cookiesAreSecure(target.headers);
  target.resHeaders.append(
    "set-cookie",
    stringifySetCookie(name, value, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: maxAgeSeconds }),
  );
}

export function clearCookie(target: CookieTarget, name: string): void {
  setCookie(target, name, "", 0);
}
