/**
 * Named experiments, like the OpenTelemetry Demo's feature flags but live and per edge: each sets
 * faults (and maybe load) beside what a learner has set, and is cleared as one.
 */
import type { FaultInput } from "./faults";
import type { ScenarioName } from "./control-plane";
import type { LoadSettingsInput } from "./load";

export interface Scenario {
  readonly name: ScenarioName;
  readonly title: string;
  /** What a learner should look for. */
  readonly lesson: string;
  readonly faults: readonly FaultInput[];
  readonly load?: LoadSettingsInput;
}

export const scenarios: Readonly<Record<ScenarioName, Scenario>> = {
  "slow-payments": {
    name: "slow-payments",
    title: "Slow payments",
    lesson: "Checkout slows by what payment adds; browsing does not notice.",
    faults: [{ target: { kind: "service", service: "payment" }, latencyMs: 800, jitterMs: 200 }],
  },
  "flaky-inventory": {
    name: "flaky-inventory",
    title: "Flaky inventory",
    lesson: "A share of stock reads and holds fail: pages degrade, checkouts that fail are compensated, none is left half done.",
    faults: [{ target: { kind: "service", service: "inventory" }, errorRate: 0.3 }],
  },
  "email-down": {
    name: "email-down",
    title: "Email down",
    lesson: "Orders still go through; their emails wait in the outbox and go out once email is back.",
    faults: [{ target: { kind: "service", service: "email" }, unreachable: true }],
  },
  "black-friday": {
    name: "black-friday",
    title: "Black Friday",
    lesson: "Heavy load with a product replica that bears only four calls at once: scale product and watch p95 fall.",
    faults: [{ target: { kind: "service", service: "product" }, concurrency: 4, cpuMs: 5 }],
    load: { rate: 30, mix: { browse: 50, search: 20, cart: 15, signUp: 0, checkout: 15 } },
  },
};
