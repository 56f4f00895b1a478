/**
 * The monkey: at intervals, SIGKILL one service through the supervisor's `processes.kill` (order
 * and payment while a checkout is in flight), then watch it come back. One outage at a time, so
 * each kill's figures belong to it alone. A service the lab lane is scaling or deploying is killed
 * only once that action is over (`ServiceLocks`); when it runs several replicas, one of them, picked
 * at random, is killed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { TRPCClient } from "@trpc/client";
import type { SupervisorRouter } from "@microshop/supervisor/router";
import { serviceNames, type ServiceName } from "@microshop/topology";
import type { ServiceLocks } from "./locks";

export interface Kill {
  readonly service: ServiceName;
  /** The process killed: `payment`, or `payment-2` when the service ran replicas. */
  readonly process: string;
  /** How many replicas of the service were ready when one was killed. */
  readonly replicas: number;
  readonly killedAt: number;
  /** When the supervisor reported it ready again; null if it never did within the bound. */
  readonly readyAt: number | null;
  /** Checkouts waiting for an answer at the moment of the kill. */
  readonly checkoutsInFlight: number;
}

export interface ChaosOptions {
  readonly control: TRPCClient<SupervisorRouter>;
  readonly killEveryMs: number;
  /** No kill starts after this moment (epoch ms): the load is ending. */
  readonly lastKillBefore: number;
  readonly random: () => number;
  readonly checkoutsInFlight: () => number;
  readonly locks: ServiceLocks;
  readonly stopSignal: AbortSignal;
  readonly onKill?: (kill: Kill) => void;
}

/** Order and payment first (the saga's two halves), then every service in a shuffled round. */
export function killOrder(random: () => number, count: number): ServiceName[] {
  const order: ServiceName[] = ["payment", "order"];
  while (order.length < count) {
    const round = [...serviceNames].sort(() => random() - 0.5);
    order.push(...round);
  }
  return order.slice(0, count);
}

const midCheckoutServices = new Set<ServiceName>(["order", "payment"]);
const readyBoundMs = 60_000;

export async function runChaos(options: ChaosOptions): Promise<Kill[]> {
  const kills: Kill[] = [];
  const plan = killOrder(options.random, 1_000);
  for (const service of plan) {
    // The first kill comes after a calm period too, so that the report has a baseline.
    const jitter = options.killEveryMs * (0.8 + options.random() * 0.4);
    if (Date.now() + jitter >= options.lastKillBefore || options.stopSignal.aborted) break;
    await sleep(jitter, undefined, { signal: options.stopSignal }).catch(() => undefined);
    if (options.stopSignal.aborted) break;
    // Busy in the lab lane: the kill waits for the pause between two of its actions.
    if (!(await options.locks.take(service, options.lastKillBefore, options.stopSignal))) break;
    try {
      const kill = await killOne(options, service);
      if (!kill) continue;
      kills.push(kill);
      options.onKill?.(kill);
      if (kill.readyAt === null) break;
    } finally {
      options.locks.release(service);
    }
  }
  return kills;
}

async function killOne(options: ChaosOptions, service: ServiceName): Promise<Kill | null> {
  if (midCheckoutServices.has(service)) {
    // Wait (bounded) for a checkout to be on the wire, so the saga is cut midway.
    const deadline = Date.now() + 5_000;
    while (options.checkoutsInFlight() === 0 && Date.now() < deadline) await sleep(20);
  }
  const ready = (await options.control.processes.list.query()).filter(
    (info) => info.kind === "service" && info.service === service && info.state === "ready",
  );
  const target = ready[Math.floor(options.random() * ready.length)];
  if (!target) return null;
  const checkoutsInFlight = options.checkoutsInFlight();
  const killedAt = Date.now();
  await options.control.processes.kill.mutate({ name: target.name });
  const readyAt = await waitUntilReady(options.control, target.name, killedAt + readyBoundMs);
  return { service, process: target.name, replicas: ready.length, killedAt, readyAt, checkoutsInFlight };
}

async function waitUntilReady(control: TRPCClient<SupervisorRouter>, name: string, deadline: number): Promise<number | null> {
  while (Date.now() < deadline) {
    const info = (await control.processes.list.query()).find((process) => process.name === name);
    if (info?.state === "ready") return Date.now();
    await sleep(50);
  }
  return null;
}
