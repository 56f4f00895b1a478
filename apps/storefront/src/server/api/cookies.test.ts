import { describe, expect, it } from "vitest";
import { cookiesAreSecure, setCookie } from "./cookies";

function setCookieHeader(requestHeaders: Record<string, string>): string {
  const resHeaders = new Headers();
  setCookie({ headers: new Headers(requestHeaders), resHeaders }, "ms_session", "token", 60);
  return resHeaders.get("set-cookie") ?? "";
}

describe("session cookies", () => {
  it("are httpOnly and SameSite=Lax, and not Secure over plain HTTP", () => {
    const cookie = setCookieHeader({ "x-forwarded-proto": "http" });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it("are Secure when the request came over HTTPS", () => {
    expect(setCookieHeader({ "x-forwarded-proto": "https" })).toMatch(/; Secure/);
    expect(cookiesAreSecure(new Headers({ "x-forwarded-proto": "HTTPS, http" }), undefined)).toBe(true);
  });

  it("are Secure whatever the request says when COOKIE_SECURE=true", () => {
    expect(cookiesAreSecure(new Headers({ "x-forwarded-proto": "http" }), "true")).toBe(true);
    expect(cookiesAreSecure(new Headers(), "false")).toBe(false);
  });
});
