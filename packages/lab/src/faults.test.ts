import { describe, expect, it } from "vitest";
import { describeFault } from "./describe-fault";
import { capacityOf, decide, faultInputSchema, faultOf, faultsOn, type Fault, type FaultInput } from "./faults";
import { scenarios } from "./scenarios";

const fault = (input: FaultInput, id = "f1"): Fault => faultOf(input, id);

describe("faultsOn", () => {
  const onPayment = fault({ target: { kind: "service", service: "payment" }, latencyMs: 300 }, "svc");
  const orderToPayment = fault({ target: { kind: "edge", caller: "order", callee: "payment" }, errorRate: 1 }, "edge");

  it("a service fault acts on every caller, an edge fault on its caller only", () => {
    expect(faultsOn([onPayment, orderToPayment], { caller: "order", callee: "payment" }).map((f) => f.id)).toEqual([
      "svc",
      "edge",
    ]);
    expect(faultsOn([onPayment, orderToPayment], { caller: "monolith", callee: "payment" }).map((f) => f.id)).toEqual(["svc"]);
    expect(faultsOn([onPayment, orderToPayment], { caller: "order", callee: "inventory" })).toEqual([]);
  });
});

describe("decide", () => {
  const call = { caller: "order", callee: "payment" };

  it("adds latencies, each with its own jitter, never below zero", () => {
    const faults = [
      fault({ target: { kind: "service", service: "payment" }, latencyMs: 300, jitterMs: 100 }, "a"),
      fault({ target: { kind: "edge", caller: "order", callee: "payment" }, latencyMs: 50 }, "b"),
    ];
    expect(decide(faults, call, () => 0.5).delayMs).toBe(350);
    expect(decide(faults, call, () => 0).delayMs).toBe(250);
    expect(decide([fault({ target: { kind: "service", service: "payment" }, jitterMs: 100 })], call, () => 0).delayMs).toBe(0);
  });

  it("fails a call when the draw falls under the error rate", () => {
    const faults = [fault({ target: { kind: "service", service: "payment" }, errorRate: 0.25 })];
    expect(decide(faults, call, () => 0.2).result).toBe("error");
    expect(decide(faults, call, () => 0.3).result).toBe("pass");
  });

  it("an unreachable callee beats a hanging one, which beats an error", () => {
    const errors = fault({ target: { kind: "service", service: "payment" }, errorRate: 1 }, "e");
    const hangs = fault({ target: { kind: "service", service: "payment" }, timeout: true }, "t");
    const refused = fault({ target: { kind: "service", service: "payment" }, unreachable: true }, "u");
    expect(decide([errors, hangs], call).result).toBe("timeout");
    expect(decide([errors, hangs, refused], call)).toMatchObject({ result: "unreachable", faultIds: ["e", "t", "u"] });
  });

  it("leaves capacity faults to the callee", () => {
    const bottleneck = fault({ target: { kind: "service", service: "payment" }, concurrency: 2, cpuMs: 5 });
    expect(decide([bottleneck], call)).toEqual({ delayMs: 0, result: "pass", faultIds: [] });
    expect(capacityOf([bottleneck], "payment")).toEqual({ cpuMs: 5, concurrency: 2 });
    expect(capacityOf([bottleneck], "order")).toEqual({ cpuMs: 0 });
  });
});

describe("faultInputSchema", () => {
  it("refuses a fault that does nothing, names the service it does not know, and keeps capacity to services", () => {
    expect(faultInputSchema.safeParse({ target: { kind: "service", service: "payment" } }).error?.issues[0]?.message).toMatch(
      /must add/,
    );
    expect(
      faultInputSchema.safeParse({ target: { kind: "service", service: "billing" }, latencyMs: 1 }).error?.issues[0]?.message,
    ).toMatch(/a service is one of product/);
    expect(
      faultInputSchema.safeParse({ target: { kind: "edge", caller: "order", callee: "payment" }, concurrency: 2 }).error
        ?.issues[0]?.message,
    ).toMatch(/replicas, not to an edge/);
    expect(faultInputSchema.safeParse({ target: { kind: "service", service: "payment" }, errorRate: 1.5 }).success).toBe(false);
  });

  it("holds every scenario's faults", () => {
    for (const scenario of Object.values(scenarios))
      for (const input of scenario.faults) expect(faultInputSchema.parse(input)).toBeTruthy();
  });

  it("describes a fault for its badge", () => {
    expect(
      describeFault(fault({ target: { kind: "service", service: "payment" }, latencyMs: 300, jitterMs: 50, errorRate: 0.2 })),
    ).toBe("+300 ms ±50, 20 % errors");
  });
});
