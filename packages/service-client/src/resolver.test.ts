import { describe, expect, it } from "vitest";
import { createServiceResolver, type ServiceResolver } from "./resolver";

const endpoint = (instance: string, weight: number) => ({ url: `http://127.0.0.1:1/${instance}/trpc`, instance, weight });

function picks(resolver: ServiceResolver, count: number): string[] {
  return Array.from({ length: count }, () => {
    const route = resolver.route("cart");
    if (!("instance" in route)) throw new Error("expected an endpoint, got a hosted router");
    return route.instance;
  });
}

const tally = (seen: readonly string[]) =>
  Object.fromEntries([...new Set(seen)].map((name) => [name, seen.filter((s) => s === name).length]));

describe("weighted endpoints", () => {
  it("share the calls in proportion to their weights", () => {
    const resolver = createServiceResolver({});
    resolver.setEndpoints("cart", [endpoint("cart-1", 1), endpoint("cart-2", 2), endpoint("cart-3", 3)]);
    expect(tally(picks(resolver, 60))).toEqual({ "cart-1": 10, "cart-2": 20, "cart-3": 30 });
  });

  it("interleave a small share among the others instead of sending it in a burst (10/90: one call in every ten)", () => {
    const resolver = createServiceResolver({});
    resolver.setEndpoints("cart", [endpoint("canary", 10), endpoint("stable", 90)]);
    const seen = picks(resolver, 100);
    for (let start = 0; start < 100; start += 10) {
      expect(seen.slice(start, start + 10).filter((name) => name === "canary")).toHaveLength(1);
    }
  });

  it("keep their turns when the same list is set again (the feed repeats it), so a share stays exact", () => {
    const resolver = createServiceResolver({});
    const list = [endpoint("canary", 10), endpoint("stable", 90)];
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) {
      resolver.setEndpoints("cart", list);
      seen.push(...picks(resolver, 1));
    }
    expect(tally(seen)).toEqual({ canary: 10, stable: 90 });
  });

  it("never send to an endpoint of weight 0 (a replica being drained)", () => {
    const resolver = createServiceResolver({});
    resolver.setEndpoints("cart", [endpoint("draining", 0), endpoint("cart-2", 50), endpoint("cart-3", 50)]);
    expect(picks(resolver, 40)).not.toContain("draining");
  });

  it("fail a call when no endpoint takes calls, naming the service", () => {
    const resolver = createServiceResolver({});
    resolver.setEndpoints("cart", [endpoint("draining", 0)]);
    expect(() => resolver.route("cart")).toThrow(/cart service has no address/);
  });

  it("say which instance was picked, and addresses from the environment are named by their URL with equal weights", () => {
    const resolver = createServiceResolver({ CART_SERVICE_URLS: "http://127.0.0.1:1/trpc,http://127.0.0.1:2/trpc" });
    expect(picks(resolver, 4)).toEqual([
      "http://127.0.0.1:1/trpc",
      "http://127.0.0.1:2/trpc",
      "http://127.0.0.1:1/trpc",
      "http://127.0.0.1:2/trpc",
    ]);
    resolver.setEndpoints("cart", [endpoint("cart-7", 1)]);
    expect(resolver.route("cart")).toEqual({ url: "http://127.0.0.1:1/cart-7/trpc", instance: "cart-7" });
    expect(resolver.addresses("cart")).toEqual(["http://127.0.0.1:1/cart-7/trpc"]);
  });

  it("refuse an endpoint that is not a URL", () => {
    const resolver = createServiceResolver({});
    expect(() => resolver.setEndpoints("cart", [{ url: "nope", instance: "x", weight: 1 }])).toThrow(/Not a URL for cart/);
  });
});
