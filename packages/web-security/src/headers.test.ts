import { describe, expect, it } from "vitest";
import { applySecurityHeaders, isHttpsRequest, securityHeaders } from "./headers";

describe("securityHeaders", () => {
  it("forbids sniffing and framing, and trims the referrer", () => {
    const headers = securityHeaders();
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Strict-Transport-Security"]).toBeUndefined();
  });

  it("adds HSTS only over HTTPS, and overwrites what a handler set", () => {
    const target = new Headers({ "X-Frame-Options": "ALLOWALL" });
    applySecurityHeaders(target, { https: true });
    expect(target.get("x-frame-options")).toBe("DENY");
    expect(target.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  });
});

describe("isHttpsRequest", () => {
  it("believes the proxy's X-Forwarded-Proto first, then the URL", () => {
    expect(isHttpsRequest({ url: "http://shop.local/", headers: new Headers({ "x-forwarded-proto": "https" }) })).toBe(true);
    expect(isHttpsRequest({ url: "https://shop.local/", headers: new Headers({ "x-forwarded-proto": "http" }) })).toBe(false);
    expect(isHttpsRequest({ url: "https://shop.local/", headers: new Headers() })).toBe(true);
    expect(isHttpsRequest({ url: "http://shop.local/", headers: new Headers() })).toBe(false);
  });
});
