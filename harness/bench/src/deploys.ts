/**
 * Deploys under load: the control plane's load generator drives shopper journeys through the
 * storefront at a steady rate while each service in turn gets a rolling deploy of a good version
 * (start a new replica, wait until ready, send it traffic, take the old one out of every caller's
 * addresses, drain and stop it). Per deploy: its duration and the calls to the service that failed
 * meanwhile (the Deployment record, from the callers' own tallies), and the load's journeys that
 * ended in its window (and a few seconds after, for journeys still on their way). A calm window of
 * the same load without a deploy, measured first in the same run, is the baseline.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultLoadSettings, type LoadStatus } from "@microshop/lab";
import type { ServiceName } from "@microshop/topology";
import { labClients, type LabClients } from "./lab-clients";
import { writeSection } from "./report";
import { benchPortOffset, startStack } from "./running-stack";

const journeysPerSecond = 5;
const warmUpSeconds = 5;
const calmSeconds = 10;
/** After each window: journeys that were on their way when it closed end and are counted in it. */
const tailMs = 3_000;

interface LoadWindow {
  /** Journeys of the load that ended in the window. */
  readonly journeys: number;
  readonly failed: number;
  /** What the failed ones said (the load keeps its last few). */
  readonly errors: readonly string[];
}

export interface DeployFigure {
  readonly service: ServiceName;
  readonly from: string;
  readonly to: string;
  readonly state: string;
  readonly seconds: number;
  readonly calls: { readonly ok: number; readonly failed: number };
  readonly load: LoadWindow;
}

export interface DeploysResult {
  readonly calm: LoadWindow & { readonly seconds: number };
  readonly deploys: readonly DeployFigure[];
}

async function loadStatus(plane: LabClients["plane"]): Promise<LoadStatus> {
  return (await plane.snapshot.query()).load;
}

/** Runs `work`, then waits out the tail, and says what the load did in between. */
async function inWindow<T>(plane: LabClients["plane"], work: () => Promise<T>): Promise<{ result: T; load: LoadWindow }> {
  const before = await loadStatus(plane);
  const began = Date.now();
  const result = await work();
  await sleep(tailMs);
  const after = await loadStatus(plane);
  const ended = (status: LoadStatus) => status.total.succeeded + status.total.failed;
  return {
    result,
    load: {
      journeys: ended(after) - ended(before),
      failed: after.total.failed - before.total.failed,
      errors: (after.recentErrors ?? [])
        .filter((error) => error.at >= began)
        .map((error) => `${error.journey}: ${error.message}`),
    },
  };
}

export async function benchDeploys(): Promise<DeploysResult> {
  const stack = await startStack({ portOffset: benchPortOffset });
  try {
    const { plane } = labClients(stack);
    const deployable = (await plane.snapshot.query()).services.filter((view) => view.ownProcess).map((view) => view.service);
    await plane.startLoad.mutate({ ...defaultLoadSettings, rate: journeysPerSecond, maxDurationS: 1_800 });
    await sleep(warmUpSeconds * 1_000);
    const calm = await inWindow(plane, () => sleep(calmSeconds * 1_000));
    const deploys: DeployFigure[] = [];
    for (const service of deployable as ServiceName[]) {
      const { result: deployment, load } = await inWindow(plane, () =>
        plane.deploy.mutate({ service, flavour: "good", strategy: { kind: "rolling" } }),
      );
      deploys.push({
        service,
        from: deployment.from,
        to: deployment.to,
        state: deployment.state,
        seconds: ((deployment.finishedAt ?? Date.now()) - deployment.startedAt) / 1_000,
        calls: deployment.calls,
        load,
      });
    }
    await plane.stopLoad.mutate();
    return { calm: { ...calm.load, seconds: calmSeconds + tailMs / 1_000 }, deploys };
  } finally {
    await stack.stop();
  }
}

const share = (part: number, whole: number) => (whole === 0 ? "0 %" : `${((100 * part) / whole).toFixed(1)} %`);

export function deploysSection(result: DeploysResult): string {
  const rows = result.deploys.map(
    (d) =>
      `| ${d.service} | ${d.from} → ${d.to}${d.state === "done" ? "" : ` (${d.state})`} | ${d.seconds.toFixed(1)} s | ${d.calls.failed} of ${d.calls.ok + d.calls.failed} | ${d.load.failed} of ${d.load.journeys} (${share(d.load.failed, d.load.journeys)}) |`,
  );
  const failedCalls = result.deploys.reduce((sum, d) => sum + d.calls.failed, 0);
  const allCalls = result.deploys.reduce((sum, d) => sum + d.calls.ok + d.calls.failed, 0);
  const errors = [...new Set([...result.deploys.flatMap((d) => d.load.errors)])].slice(0, 5);
  const { calm } = result;
  return `## Rolling deploys under load

Each service in turn gets a rolling deploy of a good version through the lab's control plane (one
new replica, ready, in every caller's addresses, then the old one out of them, drained, stopped),
while the control plane's load generator starts ${journeysPerSecond} shopper journeys a second through the
storefront (its default mix: browse, search, cart, sign-up, checkout). Duration: the Deployment
record's start to finish. Calls failed: the calls to that service while it deployed, as its
callers counted them (the Deployment record). Journeys failed: the load's journeys that ended
during the deploy or the ${tailMs / 1_000} s after it. Baseline, the same load for ${calm.seconds} s
with no deploy, measured first in the same run: ${calm.failed} of ${calm.journeys} journeys failed (${share(calm.failed, calm.journeys)}).
Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} cores, Node ${process.version}.

| service | version | deploy took | calls failed | load journeys failed |
| --- | --- | --- | --- | --- |
${rows.join("\n")}

${failedCalls} of ${allCalls} calls to a deploying service failed in all.${errors.length > 0 ? ` What the failed journeys said: ${errors.map((error) => `"${error}"`).join("; ")}.` : ""}`;
}

export function writeDeploys(result: DeploysResult): void {
  writeSection("rolling-deploys", deploysSection(result));
}
