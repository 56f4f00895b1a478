import { describe, expect, it } from "vitest";
import { buildContentSecurityPolicy, createNonce } from "./csp";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split("; ").map((part) => {
      const [name = "", ...sources] = part.split(" ");
      return [name, sources];
    }),
  );
}

describe("buildContentSecurityPolicy", () => {
  it("allows scripts only with this response's nonce, never inline or eval in production", () => {
    const policy = directives(buildContentSecurityPolicy({ nonce: "abc123==" }));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("lets the browser post telemetry and call the BFF on our own origin only, plus named origins", () => {
    expect(directives(buildContentSecurityPolicy({ nonce: "n0nce" })).get("connect-src")).toEqual(["'self'"]);
    const withCollector = directives(
      buildContentSecurityPolicy({ nonce: "n0nce", connectSrc: ["https://otel.example.com:4318"] }),
    );
    expect(withCollector.get("connect-src")).toEqual(["'self'", "https://otel.example.com:4318"]);
  });

  it("adds eval and bare styles only for the development server, and the upgrade only over HTTPS", () => {
    const dev = directives(buildContentSecurityPolicy({ nonce: "n0nce", dev: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives(buildContentSecurityPolicy({ nonce: "n0nce", https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("refuses a nonce or an origin that would inject another directive", () => {
    expect(() => buildContentSecurityPolicy({ nonce: "x'; script-src *" })).toThrow(/nonce/);
    expect(() => buildContentSecurityPolicy({ nonce: "n0nce", connectSrc: ["https://a.example; script-src *"] })).toThrow(
      /connect-src/,
    );
    expect(() => buildContentSecurityPolicy({ nonce: "n0nce", imgSrc: ["*"] })).toThrow(/img-src/);
  });

  it("makes a fresh base64 nonce of 128 bits each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });
});
