import { describe, expect, it } from "vitest";
import { buildContentSecurityPolicy } from "./csp";
import { documentSecurityHeaders } from "./document";
import { securityHeaders } from "./headers";

describe("documentSecurityHeaders", () => {
  it("is the nonce's policy and every other security header, HSTS only over HTTPS", () => {
    const nonce = "c2VjcmV0LW5vbmNlLTEyMw==";
    const overHttps = documentSecurityHeaders({ nonce, https: true, dev: false });
    expect(overHttps).toEqual({
      "Content-Security-Policy": buildContentSecurityPolicy({ nonce, https: true }),
      ...securityHeaders({ https: true }),
    });
    expect(overHttps["Content-Security-Policy"]).toContain(`'nonce-${nonce}'`);
    expect(overHttps["Strict-Transport-Security"]).toBeDefined();
    expect(documentSecurityHeaders({ nonce, https: false, dev: false })["Strict-Transport-Security"]).toBeUndefined();
  });
});
