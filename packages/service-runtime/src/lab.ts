/**
 * A process's part in the lab, made once and handed to everything of the process that calls or is
 * called: its clients apply `faults` and count into `tallies` (`@microshop/service-client`), its
 * server and its hosted routers pass each service's `gate` (`capacity.ts`). The faults come from
 * the lab agent (`lab-agent.ts`); a test passes its own.
 */
import type { FaultSource } from "@microshop/service-client/fault-link";
import { createCallTallies, type CallTallies } from "@microshop/service-client/tallies";
import { createCapacityGate, type CapacityGate } from "./capacity";

export interface ProcessLab {
  readonly faults: FaultSource;
  readonly tallies: CallTallies;
  /** The door of `service` in this process: one per service, shared by its HTTP and in-process calls. */
  gate(service: string): CapacityGate;
  /** [0, 1), for the faults' error rates and jitter; tests pass their own. */
  readonly random?: () => number;
}

export function createProcessLab(
  faults: FaultSource,
  options: { readonly tallies?: CallTallies; readonly random?: () => number } = {},
): ProcessLab {
  const gates = new Map<string, CapacityGate>();
  return {
    faults,
    tallies: options.tallies ?? createCallTallies(),
    gate(service) {
      let gate = gates.get(service);
      if (!gate) {
        gate = createCapacityGate(service, faults);
        gates.set(service, gate);
      }
      return gate;
    },
    ...(options.random ? { random: options.random } : {}),
  };
}
