/**
 * The lab lane of the chaos: beside the kills, the soak scales services up and down and deploys new
 * (good) versions of them, replica by replica, through the control plane, as a learner does from
 * the dashboard. The control plane promises that neither fails a request (a leaving replica is out
 * of every caller's address list before it drains); the invariants say whether any order, payment
 * or email was lost or doubled on the way. One action at a time, never on a service that is down
 * from a kill (`ServiceLocks`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { TRPCClient } from "@trpc/client";
import type { ControlPlaneRouter } from "@microshop/lab/router";
import type { ServiceName } from "@microshop/topology";
import type { ServiceLocks } from "./locks";

export type LabAction =
  | { readonly kind: "scale"; readonly service: ServiceName; readonly replicas: number }
  | { readonly kind: "deploy"; readonly service: ServiceName };

export interface LabRecord {
  readonly action: LabAction;
  readonly startedAt: number;
  readonly endedAt: number;
  /** What changed: "1 → 3 replicas", "1.0.0 → 1.1.0 on 3 replicas". */
  readonly change: string;
  /** A deploy's calls to its service while it ran, as the callers reported them; null for a scale. */
  readonly calls: { readonly ok: number; readonly failed: number } | null;
  /** Why it did not take effect (the control plane's error, a deploy not "done"); null when it did. */
  readonly error: string | null;
}

export interface LabOptions {
  readonly plane: TRPCClient<ControlPlaneRouter>;
  readonly locks: ServiceLocks;
  readonly everyMs: number;
  /** No action starts after this moment (epoch ms): the load is ending. */
  readonly lastActionBefore: number;
  readonly random: () => number;
  readonly stopSignal: AbortSignal;
  readonly onAction?: (record: LabRecord) => void;
}

/** The services the lab scales (and deploys while scaled); the others are deployed at one replica. */
const scaledServices: readonly ServiceName[] = ["order", "payment", "cart", "product"];
const deployedAlone: readonly ServiceName[] = ["inventory", "email", "user"];

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  return [...items].sort(() => random() - 0.5);
}

/**
 * Rounds over the scaled services, order and payment first (the saga's halves): each is scaled to
 * 2 or 3, deployed over all its replicas, scaled back to 1; then one of the others is deployed.
 */
export function labPlan(random: () => number, count: number): LabAction[] {
  const plan: LabAction[] = [];
  let alone = 0;
  for (let round = 0; plan.length < count; round++) {
    const services = round === 0 ? [...scaledServices] : shuffled(scaledServices, random);
    for (const service of services) {
      plan.push(
        { kind: "scale", service, replicas: 2 + Math.floor(random() * 2) },
        { kind: "deploy", service },
        { kind: "scale", service, replicas: 1 },
        { kind: "deploy", service: deployedAlone[alone++ % deployedAlone.length]! },
      );
    }
  }
  return plan.slice(0, count);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function perform(
  plane: TRPCClient<ControlPlaneRouter>,
  action: LabAction,
): Promise<Omit<LabRecord, "startedAt" | "endedAt">> {
  const before = (await plane.snapshot.query()).services.find((view) => view.service === action.service);
  const replicasBefore = before?.replicas ?? 0;
  try {
    if (action.kind === "scale") {
      const after = await plane.scale.mutate({ service: action.service, replicas: action.replicas });
      const error = after.replicas === action.replicas ? null : `${after.replicas} replicas serve, not ${action.replicas}`;
      return { action, change: `${replicasBefore} → ${after.replicas} replicas`, calls: null, error };
    }
    const deployment = await plane.deploy.mutate({ service: action.service, flavour: "good", strategy: { kind: "rolling" } });
    return {
      action,
      change: `${deployment.from} → ${deployment.to} on ${replicasBefore} replica${replicasBefore === 1 ? "" : "s"}`,
      calls: deployment.calls,
      error: deployment.state === "done" ? null : `ended ${deployment.state}: ${deployment.reason ?? "no reason given"}`,
    };
  } catch (error) {
    const change =
      action.kind === "scale" ? `${replicasBefore} → ${action.replicas} replicas` : `new version on ${replicasBefore}`;
    return { action, change, calls: null, error: messageOf(error) };
  }
}

/** Runs the plan at intervals until `lastActionBefore`; resolves with what was done once the last action ended. */
export async function runLab(options: LabOptions): Promise<LabRecord[]> {
  const records: LabRecord[] = [];
  // The soak's stack runs microservices; in the monolith nothing is scaled or deployed alone.
  if ((await options.plane.snapshot.query()).mode !== "microservices") return records;
  for (const action of labPlan(options.random, 1_000)) {
    const gap = options.everyMs * (0.8 + options.random() * 0.4);
    if (Date.now() + gap >= options.lastActionBefore || options.stopSignal.aborted) break;
    await sleep(gap, undefined, { signal: options.stopSignal }).catch(() => undefined);
    if (options.stopSignal.aborted) break;
    if (!(await options.locks.take(action.service, options.lastActionBefore, options.stopSignal))) break;
    try {
      const startedAt = Date.now();
      const done = await perform(options.plane, action);
      const record = { ...done, startedAt, endedAt: Date.now() };
      records.push(record);
      options.onAction?.(record);
    } finally {
      options.locks.release(action.service);
    }
  }
  return records;
}

export function describeAction(action: LabAction): string {
  return action.kind === "scale" ? `scale ${action.service} to ${action.replicas}` : `deploy ${action.service} (rolling)`;
}
