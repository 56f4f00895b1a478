import { describe, expect, it } from "vitest";
import {
  allowedCallers,
  allowedCallersOf,
  narrowedProcedures,
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
    expect(callerNames).toEqual([...serviceNames, "monolith", "storefront", "dashboard", "operator"]);
  });

  it("narrows procedures below their service's grant: stock is read by the storefront, held by order, restocked by the operator", () => {
    expect(allowedCallersOf("inventory", "stock.levels")).toEqual(allowedCallers("inventory"));
    expect(allowedCallersOf("inventory", "stock.levels")).toContain("storefront");
    expect(allowedCallersOf("inventory", "stock.restock")).toEqual(["operator"]);
    expect(allowedCallersOf("inventory", "reservations.reserve")).toEqual(["order", "monolith"]);
    expect(allowedCallersOf("email", "emails.send")).toContain("storefront");
    expect(allowedCallersOf("email", "outbox.stats")).toEqual(["operator"]);
    expect(allowedCallersOf("payment", "payments.ledger")).toEqual(["operator"]);
  });

  it("narrows only what it names: every narrowing is of a known service, for callers that exist", () => {
    for (const [service, narrowings] of Object.entries(narrowedProcedures)) {
      expect(serviceNames).toContain(service);
      for (const callers of Object.values(narrowings ?? {})) for (const caller of callers) expect(callerNames).toContain(caller);
    }
  });
});
