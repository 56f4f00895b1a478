import { describe, expect, it } from "vitest";
import { defaultServiceUrl, monolithServiceUrl, serviceNames, services, serviceUrlsEnvName, startOrder } from "./index";

describe("topology", () => {
  it("gives every service a unique port", () => {
    const used = serviceNames.map((name) => services[name].port);
    expect(new Set(used).size).toBe(used.length);
  });

  it("orders services after their dependencies", () => {
    const order = startOrder();
    for (const name of serviceNames) {
      for (const dep of services[name].dependsOn) {
        expect(order.indexOf(dep)).toBeLessThan(order.indexOf(name));
      }
    }
    expect([...order].sort()).toEqual([...serviceNames].sort());
  });

  it("names addresses the same way everywhere", () => {
    expect(serviceUrlsEnvName("inventory")).toBe("INVENTORY_SERVICE_URLS");
    expect(defaultServiceUrl("product")).toBe("http://127.0.0.1:4001/trpc");
    expect(monolithServiceUrl("product")).toBe("http://127.0.0.1:4100/product/trpc");
  });
});
