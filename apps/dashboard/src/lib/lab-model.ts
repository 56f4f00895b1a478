/**
 * What the map draws of the lab: each service's replicas (the control plane's instances with the
 * rate the telemetry counted for each `service.instance.id`), its versions, the badge of a deploy
 * in progress, its faults and whether it may be scaled; each edge's faults; and which version a
 * live dot's callee runs, so two versions of one service can be told apart while both run.
 */
import type { Fault, LabSnapshot, ServiceView } from "@microshop/lab";
import { describeFault } from "@microshop/lab/describe-fault";
import { MAX_REPLICAS } from "@microshop/lab/values";
import { callerNames, serviceNames, type CallerName, type ServiceName } from "@microshop/topology";
import type { InstanceMetrics } from "~/telemetry/contract";

/** A map node's id as a service the control plane knows, or null (the browser, a database, the monolith). */
export function asServiceName(id: string): ServiceName | null {
  return (serviceNames as readonly string[]).includes(id) ? (id as ServiceName) : null;
}

/** An edge's caller as one a fault may name, or null (the browser is not one of our processes). */
export function asCallerName(id: string): CallerName | null {
  return (callerNames as readonly string[]).includes(id) ? (id as CallerName) : null;
}

/** The newer of two versions running at once is drawn in the "next" colour, the older in "current". */
export type VersionTone = "current" | "next";

export interface ReplicaChip {
  readonly name: string;
  readonly version: string | null;
  readonly state: string;
  /** Calls a second into it over the window; 0 when none. */
  readonly perSecond: number;
  /** Its share of the service's calls (percent), as the control plane set it; null when unknown. */
  readonly weight: number | null;
  readonly tone: VersionTone | null;
}

export interface FaultBadge {
  readonly id: string;
  /** What it does: "+300 ms ±50, 20 % errors". */
  readonly label: string;
  /** Where it acts ("order → payment"), when a list mixes targets. */
  readonly where?: string;
}

export interface ServiceLab {
  readonly chips: readonly ReplicaChip[];
  /** "deploying 1.1.0…" or "canary 20 %" while a deploy runs. */
  readonly deployBadge: string | null;
  readonly faults: readonly FaultBadge[];
  /** Why + or − is off (null: it may be pressed). */
  readonly cannotScaleUp: string | null;
  readonly cannotScaleDown: string | null;
  readonly replicas: number;
  readonly version: string | null;
}

/** Compares dotted versions numerically: 1.10.0 is after 1.9.0. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [p, q] = [x[i] ?? 0, y[i] ?? 0];
    if (p === q) continue;
    if (typeof p === "number" && typeof q === "number") return p - q;
    return String(p).localeCompare(String(q));
  }
  return 0;
}

/** The version a deploy offers by default: the next minor one (1.0.0 → 1.1.0, 1.9.3 → 1.10.0). */
export function nextMinor(version: string): string {
  const [major = "1", minor = "0"] = version.split(/[.-]/);
  return `${major}.${Number.isFinite(Number(minor)) ? Number(minor) + 1 : 1}.0`;
}

/** The versions a service runs now, oldest first; a tone for each only when there are two or more. */
export function versionTones(versions: Iterable<string>): ReadonlyMap<string, VersionTone> {
  const sorted = [...new Set(versions)].sort(compareVersions);
  if (sorted.length < 2) return new Map();
  return new Map(sorted.map((version, i) => [version, i === sorted.length - 1 ? "next" : "current"]));
}

/** Per service, the tone of each version it runs, for the live dots (a ref read per event, not React state). */
export function toneBook(snapshot: LabSnapshot | null): ReadonlyMap<string, ReadonlyMap<string, VersionTone>> {
  const book = new Map<string, ReadonlyMap<string, VersionTone>>();
  for (const view of snapshot?.services ?? []) {
    const tones = versionTones(view.instances.map((instance) => instance.version));
    if (tones.size > 0) book.set(view.service, tones);
  }
  return book;
}

/** The tone of one request's callee, when its service runs two versions. */
export function toneOf(
  book: ReadonlyMap<string, ReadonlyMap<string, VersionTone>>,
  target: string,
  version: string | null,
): VersionTone | null {
  return version === null ? null : (book.get(target)?.get(version) ?? null);
}

/** A fault's target as a map edge, or a service. */
export function faultsOnService(faults: readonly Fault[], service: string): FaultBadge[] {
  return faults
    .filter((fault) => fault.target.kind === "service" && fault.target.service === service)
    .map((fault) => ({ id: fault.id, label: describeFault(fault) }));
}

export function faultsOnEdge(faults: readonly Fault[], caller: string, callee: string): FaultBadge[] {
  return faults
    .filter((fault) => fault.target.kind === "edge" && fault.target.caller === caller && fault.target.callee === callee)
    .map((fault) => ({ id: fault.id, label: describeFault(fault) }));
}

function deployBadge(view: ServiceView): string | null {
  const deployment = view.deployment;
  if (!deployment) return null;
  if (deployment.state === "canary") return `canary ${deployment.weight} %`;
  if (deployment.state === "rolling") return `deploying ${deployment.to}…`;
  return null;
}

function scaleReasons(view: ServiceView | undefined, mode: LabSnapshot["mode"]): { up: string | null; down: string | null } {
  if (!view)
    return { up: "The control plane does not know this service.", down: "The control plane does not know this service." };
  if (mode === "monolith" || !view.ownProcess) {
    const reason = "It runs inside the monolith: start the stack as microservices to scale it on its own.";
    return { up: reason, down: reason };
  }
  const busy = view.deployment && (view.deployment.state === "rolling" || view.deployment.state === "canary");
  if (busy) {
    const reason = "A deploy is running: promote or roll it back first.";
    return { up: reason, down: reason };
  }
  return {
    up: view.replicas >= MAX_REPLICAS ? `At most ${MAX_REPLICAS} replicas.` : null,
    down: view.replicas <= 1 ? "At least one replica: stop the service to have none." : null,
  };
}

/**
 * One service's part of the lab on the map. Replicas come from the control plane when it answers
 * (with each one's own rate from the telemetry), else from the telemetry alone (any OpenTelemetry
 * program naming its instances), so a stack without a lab still shows its replicas.
 */
export function serviceLab(
  service: string,
  snapshot: LabSnapshot | null,
  observed: readonly InstanceMetrics[],
): ServiceLab | null {
  const view = snapshot?.services.find((candidate) => candidate.service === service);
  const mine = observed.filter((instance) => instance.service === service);
  if (!view && mine.length === 0) return null;
  const rateOf = (name: string, version: string | null) =>
    mine
      .filter((instance) => instance.instance === name && (version === null || instance.version === version))
      .reduce((sum, instance) => sum + instance.perSecond, 0);
  const visible = view?.instances.filter((instance) => instance.state !== "stopped") ?? [];
  const versions = view ? visible.map((instance) => instance.version) : mine.flatMap((i) => (i.version ? [i.version] : []));
  const tones = versionTones(versions);
  const chips: ReplicaChip[] = view
    ? visible.map((instance) => ({
        name: instance.name,
        version: instance.version,
        state: instance.state,
        perSecond: rateOf(instance.name, instance.version),
        weight: instance.weight,
        tone: tones.get(instance.version) ?? null,
      }))
    : mine.map((instance) => ({
        name: instance.instance,
        version: instance.version,
        state: "ready",
        perSecond: instance.perSecond,
        weight: null,
        tone: instance.version ? (tones.get(instance.version) ?? null) : null,
      }));
  const noPlane = "The lab is not connected to a control plane.";
  const reasons = snapshot ? scaleReasons(view, snapshot.mode) : { up: noPlane, down: noPlane };
  return {
    chips,
    deployBadge: view ? deployBadge(view) : null,
    faults: faultsOnService(snapshot?.faults ?? [], service),
    cannotScaleUp: reasons.up,
    cannotScaleDown: reasons.down,
    replicas: view?.replicas ?? chips.length,
    version: view?.version ?? null,
  };
}
