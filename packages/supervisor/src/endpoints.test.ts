import { describe, expect, it } from "vitest";
import { endpointsOf, type Member } from "./endpoints";

const member = (instance: string, overrides: Partial<Member> = {}): Member => ({
  instance,
  url: `http://127.0.0.1/${instance}/trpc`,
  version: "1.0.0",
  role: "stable",
  ready: true,
  ...overrides,
});

const weights = (members: Member[], canary: number | null = null) =>
  endpointsOf(members, canary).map((endpoint) => [endpoint.instance, endpoint.weight]);

describe("endpointsOf", () => {
  it("weighs every replica the same, and leaves out one that is leaving", () => {
    expect(weights([member("cart"), member("cart-2"), member("cart-3")])).toEqual([
      ["cart", 33.33],
      ["cart-2", 33.33],
      ["cart-3", 33.33],
    ]);
    expect(weights([member("cart"), member("cart-2", { role: "leaving" })])).toEqual([["cart", 100]]);
  });

  it("gives a canary its weight and the others the rest", () => {
    const canary = member("cart-3", { role: "canary", version: "1.1.0" });
    expect(weights([member("cart"), member("cart-2"), canary], 20)).toEqual([
      ["cart", 40],
      ["cart-2", 40],
      ["cart-3", 20],
    ]);
    expect(endpointsOf([member("cart"), canary], 20).map((endpoint) => endpoint.version)).toEqual(["1.0.0", "1.1.0"]);
  });

  it("goes around a replica that is down while another answers, and keeps them all when none does", () => {
    expect(weights([member("cart", { ready: false }), member("cart-2")])).toEqual([["cart-2", 100]]);
    expect(weights([member("cart", { ready: false }), member("cart-2", { ready: false })])).toEqual([
      ["cart", 50],
      ["cart-2", 50],
    ]);
  });
});
