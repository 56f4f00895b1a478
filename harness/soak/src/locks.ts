/**
 * Which services a chaos lane is acting on now. The kill lane and the lab lane run side by side on
 * different services: a kill never lands on a replica the control plane is starting or draining
 * (that would make the scale or deploy fail, which says nothing about the store), and a scale or
 * deploy never starts on a service that is down from a kill.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceName } from "@microshop/topology";

export class ServiceLocks {
  private readonly held = new Set<ServiceName>();

  /** Takes the service if no lane holds it; true when taken. */
  tryTake(service: ServiceName): boolean {
    if (this.held.has(service)) return false;
    this.held.add(service);
    return true;
  }

  /** Waits until the service is free and takes it; false when `until` (epoch ms) or the signal came first. */
  async take(service: ServiceName, until: number, signal: AbortSignal): Promise<boolean> {
    while (!this.tryTake(service)) {
      if (Date.now() >= until || signal.aborted) return false;
      await sleep(100);
    }
    return true;
  }

  release(service: ServiceName): void {
    this.held.delete(service);
  }
}
