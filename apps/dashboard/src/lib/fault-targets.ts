/**
 * The lab tab's fault target picker: any service, or any edge a caller really has (a service's
 * `dependsOn`, the storefront's clients), so a learner can aim a fault in the monolith too, where
 * the map draws no service node or edge to click.
 */
import type { Fault, FaultTarget } from "@microshop/lab";
import { describeFault } from "@microshop/lab/describe-fault";
import { outsideCallers, serviceNames, services, type ServiceName } from "@microshop/topology";
import type { FaultBadge } from "./lab-model";

/** A caller the picker offers: a service that calls another, or the storefront. */
export type EdgeCaller = ServiceName | "storefront";

/** The services a caller calls: what an edge fault from it may name. */
export function calleesOf(caller: EdgeCaller): readonly ServiceName[] {
  return caller === "storefront" ? outsideCallers.storefront : services[caller].dependsOn;
}

/** The callers the picker offers, in the topology's order: only those that call something. */
export const edgeCallers: readonly EdgeCaller[] = [
  ...serviceNames.filter((name) => services[name].dependsOn.length > 0),
  "storefront",
];

/** The callee to keep when the caller changes: the one picked if the new caller calls it, else its first. */
export function calleeFor(caller: EdgeCaller, wanted: ServiceName | null): ServiceName {
  const callees = calleesOf(caller);
  const first = callees[0];
  if (first === undefined) throw new Error(`${caller} calls no service`);
  return wanted !== null && callees.includes(wanted) ? wanted : first;
}

/** A fault's target in words: "payment", or "order → payment". */
export function faultTargetLabel(target: FaultTarget): string {
  return target.kind === "service" ? target.service : `${target.caller} → ${target.callee}`;
}

/** Every fault in force, in the control plane's order, each with what it does and where. */
export function faultsInForce(faults: readonly Fault[]): FaultBadge[] {
  return faults.map((fault) => ({ id: fault.id, label: describeFault(fault), where: faultTargetLabel(fault.target) }));
}
