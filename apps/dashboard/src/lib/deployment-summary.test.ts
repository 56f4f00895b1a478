import { describe, expect, it } from "vitest";
import type { Deployment } from "@microshop/lab";
import { canaryHealth, deploymentOutcome, deploymentSummary, formatElapsed } from "./deployment-summary";

const deployment = (overrides: Partial<Deployment> = {}): Deployment => ({
  id: "d1",
  service: "cart",
  strategy: "rolling",
  from: "1.0.0",
  to: "1.1.0",
  flavour: "good",
  state: "done",
  weight: 100,
  startedAt: 10_000,
  finishedAt: 14_100,
  calls: { ok: 1_240, failed: 0 },
  canary: { ok: 0, failed: 0, errorRate: null },
  reason: null,
  ...overrides,
});

describe("deploymentSummary", () => {
  it("says what went where, how, how many calls failed of how many, and how long it took", () => {
    expect(deploymentSummary(deployment(), 0)).toBe("cart 1.0.0 → 1.1.0, rolling: 0 failed of 1,240, 4.1 s");
  });

  it("counts a running deploy's time up to now", () => {
    const running = deployment({ strategy: "canary", state: "canary", finishedAt: null, calls: { ok: 90, failed: 10 } });
    expect(deploymentSummary(running, 10_850)).toBe("cart 1.0.0 → 1.1.0, canary: 10 failed of 100, 850 ms");
  });

  it("words the outcome with its reason", () => {
    expect(deploymentOutcome(deployment())).toBe("done");
    expect(deploymentOutcome(deployment({ state: "rolled-back", reason: "error rate 43 % above 20 %" }))).toBe(
      "rolled back: error rate 43 % above 20 %",
    );
  });

  it("describes a canary's health", () => {
    expect(canaryHealth(deployment())).toBe("no calls yet");
    expect(canaryHealth(deployment({ canary: { ok: 300, failed: 40, errorRate: 40 / 340 } }))).toBe("12 % of 340 calls failed");
  });
});

describe("formatElapsed", () => {
  it("picks the unit a person reads at a glance", () => {
    expect([formatElapsed(850), formatElapsed(4_100), formatElapsed(125_000), formatElapsed(120_000)]).toEqual([
      "850 ms",
      "4.1 s",
      "2 min 5 s",
      "2 min",
    ]);
  });
});
