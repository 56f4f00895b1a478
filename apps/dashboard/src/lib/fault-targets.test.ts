import { describe, expect, it } from "vitest";
import { faultOf, type Fault, type FaultInput } from "@microshop/lab/faults";
import { calleeFor, calleesOf, edgeCallers, faultsInForce, faultTargetLabel } from "./fault-targets";

const fault = (id: string, target: Fault["target"], effect: Omit<FaultInput, "target">): Fault =>
  faultOf({ target, ...effect }, id);

describe("the fault target picker", () => {
  it("offers as callers only the services that call another, and the storefront", () => {
    expect(edgeCallers).toEqual(["cart", "order", "email", "storefront"]);
  });

  it("lets a caller pick only what it calls", () => {
    expect(calleesOf("order")).toEqual(["product", "inventory", "payment", "email", "user"]);
    expect(calleesOf("storefront")).toEqual(["product", "inventory", "cart", "order", "user", "email"]);
    expect(calleesOf("storefront")).not.toContain("payment");
  });

  it("keeps the callee picked when the new caller calls it, else takes the new caller's first", () => {
    expect(calleeFor("cart", "user")).toBe("user");
    expect(calleeFor("cart", "payment")).toBe("product");
    expect(calleeFor("email", null)).toBe("user");
  });
});

describe("faults in words", () => {
  it("names a service, or an edge as caller → callee", () => {
    expect(faultTargetLabel({ kind: "service", service: "payment" })).toBe("payment");
    expect(faultTargetLabel({ kind: "edge", caller: "order", callee: "payment" })).toBe("order → payment");
  });

  it("lists every fault in force with what it does and where", () => {
    const faults = [
      fault("f1", { kind: "edge", caller: "order", callee: "payment" }, { latencyMs: 300 }),
      fault("f2", { kind: "service", service: "cart" }, { errorRate: 0.2 }),
    ];
    expect(faultsInForce(faults)).toEqual([
      { id: "f1", label: "+300 ms", where: "order → payment" },
      { id: "f2", label: "20 % errors", where: "cart" },
    ]);
  });
});
