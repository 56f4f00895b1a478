import { describe, expect, it } from "vitest";
import { checkCsrf, csrfHeaders } from "./csrf";

it("names the header our client sends", () => expect(csrfHeaders).toEqual({ "x-csrf-protection": "1" }));

const url = "http://127.0.0.1:3000/api/trpc/cart.add";
const browser = {
  host: "127.0.0.1:3000",
  origin: "http://127.0.0.1:3000",
  "sec-fetch-site": "same-origin",
  "x-csrf-protection": "1",
};

function verdict(headers: Record<string, string>, method = "POST", options = {}) {
  return checkCsrf({ method, url, headers: new Headers(headers) }, options);
}

describe("checkCsrf", () => {
  it("lets our own tRPC client through", () => {
    expect(verdict(browser)).toEqual({ ok: true });
  });

  it("refuses a cross-site fetch or form post", () => {
    expect(verdict({ ...browser, "sec-fetch-site": "cross-site", origin: "https://evil.example" })).toMatchObject({ ok: false });
    // A form post from another site: no custom header, foreign origin.
    expect(verdict({ host: "127.0.0.1:3000", origin: "https://evil.example", "sec-fetch-site": "cross-site" })).toMatchObject({
      ok: false,
    });
  });

  it("refuses a sibling origin on the same site, and a sandboxed page's null origin", () => {
    expect(verdict({ ...browser, "sec-fetch-site": "same-site", origin: "http://127.0.0.1:3001" })).toMatchObject({ ok: false });
    expect(verdict({ ...browser, origin: "null" })).toMatchObject({ ok: false, reason: "a request from null" });
  });

  it("refuses a foreign Origin even from a browser that sends no Fetch Metadata", () => {
    const { "sec-fetch-site": _dropped, ...old } = browser;
    expect(verdict({ ...old, origin: "https://evil.example" })).toEqual({
      ok: false,
      reason: "a request from https://evil.example",
    });
    expect(verdict(old)).toEqual({ ok: true });
  });

  it("requires the custom header whatever else the request says", () => {
    const { "x-csrf-protection": _dropped, ...noHeader } = browser;
    expect(verdict(noHeader)).toMatchObject({ ok: false, reason: "a request without the x-csrf-protection header" });
    expect(verdict({ ...browser, "x-csrf-protection": "0" })).toMatchObject({ ok: false });
  });

  it("accepts the public origin a reverse proxy forwards, and origins listed as trusted", () => {
    const proxied = {
      ...browser,
      host: "storefront:3000",
      "x-forwarded-host": "shop.example",
      "x-forwarded-proto": "https",
      origin: "https://shop.example",
    };
    expect(verdict(proxied)).toEqual({ ok: true });
    expect(
      verdict({ ...browser, origin: "https://admin.example" }, "POST", { trustedOrigins: ["https://admin.example"] }),
    ).toEqual({ ok: true });
  });

  it("leaves safe methods alone: links into the shop keep working", () => {
    expect(verdict({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, "GET")).toEqual({ ok: true });
    expect(verdict({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, "PUT")).toMatchObject({ ok: false });
  });
});
