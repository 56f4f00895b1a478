import { parseCookie, stringifySetCookie } from "cookie";
import { env } from "~/env";

export const sessionCookie = "ms_session";
export const visitorCookie = "ms_visitor";

// Local runs are plain HTTP; a deployment behind HTTPS sets COOKIE_SECURE=true.
const secure = env.COOKIE_SECURE === "true";

export function readCookie(headers: Headers, name: string): string | undefined {
  const value = parseCookie(headers.get("cookie") ?? "")[name];
  return value && value.length > 0 ? value : undefined;
}

/**
 * httpOnly: scripts never see the token. SameSite=Lax: other sites cannot send it with a form
 * post. Secure when served over HTTPS (`COOKIE_SECURE`).
 */
export function setCookie(resHeaders: Headers, name: string, value: string, maxAgeSeconds: number): void {
  resHeaders.append("set-cookie", stringifySetCookie(name, value, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: maxAgeSeconds }));
}

export function clearCookie(resHeaders: Headers, name: string): void {
  setCookie(resHeaders, name, "", 0);
}
