/**
 * The one label a fault gets wherever it is shown (the map's badge, the panels, the control API's
 * answers). Its own module, importing only a type, so browser code can use it without zod and the
 * schemas' module does not depend on it.
 */
import type { FaultEffect } from "./faults";

/** A short label for the map's badge: "+300 ms ±50", "20 % errors", "timeout", "unreachable", "2 at once". */
export function describeFault(fault: FaultEffect): string {
  const parts: string[] = [];
  if (fault.unreachable) parts.push("unreachable");
  if (fault.timeout) parts.push("timeout");
  if (fault.latencyMs > 0 || fault.jitterMs > 0)
    parts.push(`+${fault.latencyMs} ms${fault.jitterMs > 0 ? ` ±${fault.jitterMs}` : ""}`);
  if (fault.errorRate > 0) parts.push(`${Math.round(fault.errorRate * 100)} % errors`);
  if (fault.cpuMs > 0) parts.push(`${fault.cpuMs} ms CPU a call`);
  if (fault.concurrency !== undefined) parts.push(`${fault.concurrency} at once`);
  return parts.join(", ");
}
