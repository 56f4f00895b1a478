import { describe, expect, it } from "vitest";
import {
  allowedCallers,
  callerNames,
  defaultServiceUrl,
  monolithServiceUrl,
  serviceNames,
  services,
  serviceUrlsEnvName,
  startOrder,
} from "./index";

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

describe("who may call whom", () => {
  it("follows dependsOn, plus the storefront's and the dashboard's own clients", () => {
    expect(allowedCallers("payment")).toEqual(["order", "monolith"]);
    expect(allowedCallers("user")).toEqual(["cart", "order", "email", "monolith", "storefront"]);
    expect(allowedCallers("telemetry")).toEqual(["dashboard"]);
  });

  it("lets nobody call what nobody depends on, nor a name it does not know", () => {
    expect(allowedCallers("supervisor")).toEqual([]);
    expect(allowedCallers("nope")).toEqual([]);
  });

  it("gives every caller a key of its own", () => {
    expect(callerNames).toEqual([...serviceNames, "monolith", "storefront", "dashboard"]);
  });
});
