import { describe, expect, it } from "vitest";
import type { Deployment, Fault, Instance, LabSnapshot, ServiceView } from "@microshop/lab";
import { faultOf, type FaultInput } from "@microshop/lab/faults";
import type { InstanceMetrics } from "~/telemetry/contract";
import { compareVersions, faultsOnEdge, nextMinor, serviceLab, toneBook, toneOf, versionTones } from "./lab-model";

const instance = (name: string, version: string, weight: number, state: Instance["state"] = "ready"): Instance => ({
  name,
  service: name.replace(/-\d+$/, ""),
  replica: Number(name.split("-").at(-1)),
  version,
  state,
  pid: 1,
  url: "http://127.0.0.1:1",
  weight,
});

const deployment = (overrides: Partial<Deployment>): Deployment => ({
  id: "d1",
  service: "cart",
  strategy: "canary",
  from: "1.0.0",
  to: "1.1.0",
  flavour: "good",
  state: "canary",
  weight: 20,
  startedAt: 0,
  finishedAt: null,
  calls: { ok: 0, failed: 0 },
  canary: { ok: 0, failed: 0, errorRate: null },
  reason: null,
  ...overrides,
});

const view = (service: string, instances: Instance[], extra: Partial<ServiceView> = {}): ServiceView => ({
  service,
  ownProcess: true,
  replicas: instances.length,
  instances,
  version: "1.0.0",
  deployment: null,
  ...extra,
});

const fault = (id: string, target: Fault["target"], effect: Omit<FaultInput, "target">): Fault =>
  faultOf({ target, ...effect }, id);

const snapshot = (services: ServiceView[], faults: Fault[] = [], mode: LabSnapshot["mode"] = "microservices") =>
  ({ mode, services, faults, deployments: [], scenarios: [] }) as unknown as LabSnapshot;

const observed = (service: string, name: string, version: string | null, perSecond: number): InstanceMetrics => ({
  service,
  instance: name,
  version,
  requests: perSecond * 60,
  perSecond,
  errorRate: 0,
  p50Ms: 1,
  p95Ms: 2,
  p99Ms: 3,
});

describe("serviceLab", () => {
  it("draws one chip per replica with its own rate, and tells a canary's version from its elders'", () => {
    const cart = view("cart", [instance("cart-1", "1.0.0", 80), instance("cart-2", "1.1.0", 20)], {
      deployment: deployment({}),
    });
    const lab = serviceLab("cart", snapshot([cart]), [
      observed("cart", "cart-1", "1.0.0", 8),
      observed("cart", "cart-2", "1.1.0", 2),
      observed("payment", "payment-1", "1.0.0", 5),
    ]);
    expect(lab?.chips.map((chip) => [chip.name, chip.version, chip.perSecond, chip.weight, chip.tone])).toEqual([
      ["cart-1", "1.0.0", 8, 80, "current"],
      ["cart-2", "1.1.0", 2, 20, "next"],
    ]);
    expect(lab?.deployBadge).toBe("canary 20 %");
    expect(lab?.cannotScaleUp).toMatch(/deploy is running/);
  });

  it("gives no colours while one version runs, and says why + or − is off at 1 and at 5", () => {
    const one = serviceLab("payment", snapshot([view("payment", [instance("payment-1", "1.0.0", 100)])]), []);
    expect(one?.chips).toEqual([{ name: "payment-1", version: "1.0.0", state: "ready", perSecond: 0, weight: 100, tone: null }]);
    expect(one).toMatchObject({ cannotScaleUp: null, cannotScaleDown: expect.stringMatching(/at least one/i) as unknown });
    const five = Array.from({ length: 5 }, (_, i) => instance(`payment-${i + 1}`, "1.0.0", 20));
    expect(serviceLab("payment", snapshot([view("payment", five)]), [])).toMatchObject({
      cannotScaleUp: "At most 5 replicas.",
      cannotScaleDown: null,
    });
  });

  it("says that nothing is scaled alone in the monolith", () => {
    const lab = serviceLab("cart", snapshot([view("cart", [], { ownProcess: false })], [], "monolith"), []);
    expect(lab?.cannotScaleUp).toMatch(/monolith/);
    expect(lab?.cannotScaleDown).toMatch(/monolith/);
  });

  it("without a control plane, draws the replicas the telemetry saw", () => {
    const lab = serviceLab("product", null, [
      observed("product", "product-1", "1.0.0", 3),
      observed("product", "product-2", "1.0.0", 4),
    ]);
    expect(lab?.chips.map((chip) => [chip.name, chip.perSecond, chip.weight])).toEqual([
      ["product-1", 3, null],
      ["product-2", 4, null],
    ]);
    expect(serviceLab("email", null, [])).toBeNull();
  });

  it("lists the faults on a service, and those on an edge apart", () => {
    const faults = [
      fault("f1", { kind: "service", service: "payment" }, { errorRate: 0.2 }),
      fault("f2", { kind: "edge", caller: "order", callee: "payment" }, { latencyMs: 300, jitterMs: 50 }),
    ];
    expect(serviceLab("payment", snapshot([view("payment", [])], faults), [])?.faults).toEqual([
      { id: "f1", label: "20 % errors" },
    ]);
    expect(faultsOnEdge(faults, "order", "payment")).toEqual([{ id: "f2", label: "+300 ms ±50" }]);
    expect(faultsOnEdge(faults, "storefront", "payment")).toEqual([]);
  });
});

describe("versions", () => {
  it("offers the next minor version for a deploy", () => {
    expect([nextMinor("1.0.0"), nextMinor("1.9.3"), nextMinor("2.4.0-rc.1")]).toEqual(["1.1.0", "1.10.0", "2.5.0"]);
  });

  it("orders versions by number, not by text", () => {
    expect(["1.10.0", "1.9.0", "1.0.0"].sort(compareVersions)).toEqual(["1.0.0", "1.9.0", "1.10.0"]);
    expect([...versionTones(["1.10.0", "1.9.0", "1.9.0"])]).toEqual([
      ["1.9.0", "current"],
      ["1.10.0", "next"],
    ]);
    expect(versionTones(["1.0.0", "1.0.0"]).size).toBe(0);
  });

  it("colours a live dot by its callee's version only where two versions run", () => {
    const book = toneBook(
      snapshot([
        view("cart", [instance("cart-1", "1.0.0", 80), instance("cart-2", "1.1.0", 20)]),
        view("payment", [instance("payment-1", "1.0.0", 100)]),
      ]),
    );
    expect(toneOf(book, "cart", "1.1.0")).toBe("next");
    expect(toneOf(book, "cart", "1.0.0")).toBe("current");
    expect(toneOf(book, "payment", "1.0.0")).toBeNull();
    expect(toneOf(book, "cart", null)).toBeNull();
  });
});
