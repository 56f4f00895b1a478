/**
 * The lab's control plane on one machine: `ControlPlane` (`@microshop/lab`) over the supervisor's
 * processes. It scales a service by starting and stopping replicas, deploys a version replica by
 * replica (rolling) or beside the old ones (canary), sets faults, and starts load, and it tells every
 * process what changed through the lab feed (`FeedState`), which is also how it knows when a change
 * has taken effect: a replica joins the endpoints once it is ready and leaves them before it is
 * stopped, and every step waits until every caller follows the feed's new revision, so that a
 * scale-down or a deploy under load fails no request.
 *
 * One change at a time per service (a second one is a CONFLICT saying what runs); in the monolith
 * nothing is scaled or deployed alone (PRECONDITION_FAILED), while faults and load work in both modes.
 */
import {
  type canaryWeightInputSchema,
  deployInputSchema,
  faultOf,
  loadSettingsSchema,
  scenarioNames,
  scenarios,
  type ControlPlane,
  type Deployment,
  type DeployInput,
  type Fault,
  type FaultInput,
  type Instance,
  type LabSnapshot,
  type LoadSettingsInput,
  type LoadStatus,
  type ScaleInput,
  type ScenarioName,
  type ServiceView,
} from "@microshop/lab";
import type { Endpoint } from "@microshop/lab/feed";
import { createLogger, type Logger } from "@microshop/service-runtime/logger";
import type { ServiceName } from "@microshop/topology";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { canaryVerdict, deploymentView, KEPT_DEPLOYMENTS, nextMinor, type DeploymentRecord } from "./deployments";
import { endpointsOf } from "./endpoints";
import { FeedState, type FeedStateOptions, type Tally } from "./feed-state";
import { releaseOf, type Release } from "./instance-env";
import { idleLoadDriver, type LoadDriver } from "./load-driver";
import type { ManagedProcess } from "./managed-process";
import { freePort } from "./ports";
import { signerOf, type ProcessSpec } from "./process-spec";
import { lowestFreeReplica, replicaSpec } from "./replicas";
import type { Supervisor } from "./supervisor";

export interface SupervisorControlPlaneOptions {
  /** What makes load (`@microshop/load-generator`); default: none, and a start says so. */
  readonly load?: LoadDriver;
  readonly logger?: Pick<Logger, "info" | "warn">;
  /** How long a change waits for every process to follow the feed before it proceeds (default 5 s). */
  readonly applyTimeoutMs?: number;
  readonly feed?: Omit<FeedStateOptions, "refuseReport">;
  /** Where a new replica listens (default: a port the OS says is free). */
  readonly portFor?: () => Promise<number>;
  readonly now?: () => number;
}

/** One replica of a service and its place in the endpoints. */
interface Replica {
  readonly process: ManagedProcess;
  readonly release: Release;
  role: "stable" | "canary" | "leaving";
}

/** A service that runs in processes of its own (microservices mode). */
interface ServiceLab {
  readonly service: string;
  /** The first replica's spec, which every further replica copies. */
  readonly base: ProcessSpec;
  replicas: Replica[];
  /** The canary's share of calls in percent, while one runs. */
  canaryWeight: number | null;
  active: DeploymentRecord | null;
  /** What is being done to it now ("being scaled to 3"): a second change meanwhile is refused. */
  busy: string | null;
}

const conflict = (message: string) => new TRPCError({ code: "CONFLICT", message });
const precondition = (message: string) => new TRPCError({ code: "PRECONDITION_FAILED", message });

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SupervisorControlPlane implements ControlPlane {
  /** The feed every process follows: serve it at `/lab/trpc` (`startControlApi`). */
  readonly feed: FeedState;
  private readonly labs = new Map<string, ServiceLab>();
  private faults: Fault[] = [];
  /** The scenario that set each fault, for those a scenario set. */
  private readonly scenarioOf = new Map<string, ScenarioName>();
  /** The scenario whose load runs now, when a scenario started it. */
  private loadBy: ScenarioName | null = null;
  /** Newest first. */
  private history: DeploymentRecord[] = [];
  private counters = { fault: 0, deployment: 0 };
  private readonly load: LoadDriver;
  private readonly logger: Pick<Logger, "info" | "warn">;
  private readonly now: () => number;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly supervisor: Supervisor,
    private readonly options: SupervisorControlPlaneOptions = {},
  ) {
    this.load = options.load ?? idleLoadDriver();
    this.logger = options.logger ?? createLogger("control-plane", "warn");
    this.now = options.now ?? Date.now;
    this.feed = new FeedState({
      ...options.feed,
      now: this.now,
      refuseReport: (caller, instance) => this.refuseReport(caller, instance),
    });
    if (supervisor.mode === "microservices") {
      for (const process of supervisor.all()) {
        if (process.spec.kind !== "service") continue;
        const { service } = process.spec;
        const lab = this.labs.get(service) ?? {
          service,
          base: process.spec,
          replicas: [],
          canaryWeight: null,
          active: null,
          busy: null,
        };
        lab.replicas.push({ process, release: releaseOf(process.spec.env), role: "stable" });
        this.labs.set(service, lab);
      }
    }
    // A replica that goes down leaves the endpoints while another answers, and comes back when ready.
    this.unsubscribe.push(supervisor.onStateChange(() => this.publish()));
    this.unsubscribe.push(this.feed.onReport(() => this.judgeCanaries()));
    this.publish();
  }

  // ---- The snapshot ------------------------------------------------------------------------

  snapshot(): Promise<LabSnapshot> {
    return Promise.resolve(this.snapshotNow());
  }

  private snapshotNow(): LabSnapshot {
    const active = new Set(this.scenarioOf.values());
    return {
      mode: this.supervisor.mode,
      services:
        this.supervisor.mode === "microservices" ? [...this.labs.values()].map((lab) => this.viewOf(lab)) : this.hostedViews(),
      faults: this.faults,
      deployments: this.history.map((record) => deploymentView(record, this.feed.totalsFor(record.service))),
      load: this.load.status(),
      scenarios: scenarioNames.map((name) => ({
        name,
        title: scenarios[name].title,
        active: active.has(name) || this.loadBy === name,
      })),
    };
  }

  private viewOf(lab: ServiceLab): ServiceView {
    const weights = new Map(
      (this.feed.current().endpoints[lab.service as keyof Endpoints] ?? []).map((e) => [e.instance, e.weight]),
    );
    const instances: Instance[] = lab.replicas.map(({ process, release, role }) => ({
      name: process.name,
      service: lab.service,
      replica: process.spec.replica,
      version: release.version,
      state: role === "leaving" && process.state === "ready" ? "draining" : process.state,
      pid: process.pid,
      url: process.spec.url,
      weight: weights.get(process.name) ?? 0,
    }));
    return {
      service: lab.service,
      ownProcess: true,
      replicas: this.serving(lab).length,
      instances,
      version: this.currentRelease(lab).version,
      deployment: lab.active ? this.deploymentOf(lab.active) : null,
    };
  }

  /** Monolith mode: each service inside the process that hosts it, neither scaled nor deployed alone. */
  private hostedViews(): ServiceView[] {
    return this.supervisor.all().flatMap((process) =>
      process.spec.hosts.map((service) => ({
        service,
        ownProcess: false,
        replicas: 1,
        instances: [
          {
            name: process.name,
            service,
            replica: process.spec.replica,
            version: releaseOf(process.spec.env).version,
            state: process.state,
            pid: process.pid,
            url: process.spec.url,
            weight: 100,
          },
        ],
        version: releaseOf(process.spec.env).version,
        deployment: null,
      })),
    );
  }

  private deploymentOf(record: DeploymentRecord): Deployment {
    return deploymentView(record, this.feed.totalsFor(record.service));
  }

  // ---- Scaling -----------------------------------------------------------------------------

  async scale(input: ScaleInput): Promise<ServiceView> {
    const lab = this.labFor(input.service, "scaled");
    return this.exclusive(lab, `being scaled to ${input.replicas}`, async () => {
      if (lab.active?.state === "canary") throw conflict(this.canaryRuns(lab, lab.active, "scaling it"));
      const serving = this.serving(lab);
      if (input.replicas > serving.length) {
        await this.addReplicas(lab, input.replicas - serving.length, this.currentRelease(lab), "stable");
      } else if (input.replicas < serving.length) {
        // The newest names go first: `product` itself keeps the port callers started with.
        const leaving = [...serving].sort((a, b) => b.process.spec.replica - a.process.spec.replica);
        await this.retire(lab, leaving.slice(0, serving.length - input.replicas));
      }
      return this.viewOf(lab);
    });
  }

  // ---- Deploys -----------------------------------------------------------------------------

  async deploy(input: DeployInput): Promise<Deployment> {
    const parsed = deployInputSchema.parse(input);
    const lab = this.labFor(parsed.service, "deployed");
    const from = this.currentRelease(lab);
    const to: Release = { version: parsed.version ?? nextMinor(from.version), flavour: parsed.flavour };
    const { strategy } = parsed;
    return this.exclusive(lab, `being deployed (${from.version} to ${to.version}, ${strategy.kind})`, async () => {
      if (lab.active?.state === "canary") throw conflict(this.canaryRuns(lab, lab.active, "another deploy"));
      const canary = strategy.kind === "canary" ? strategy : null;
      const record = this.begin(lab, {
        strategy: strategy.kind,
        from,
        to,
        weight: canary?.weight ?? 0,
        rollbackAbove: canary?.rollbackAbove ?? null,
      });
      try {
        if (canary) {
          lab.canaryWeight = canary.weight;
          await this.addReplicas(lab, 1, to, "canary", record);
          record.state = "canary";
        } else {
          await this.rollOver(lab, record, this.serving(lab));
          await this.finish(lab, record, "done", null);
        }
      } catch (error) {
        lab.canaryWeight = null;
        await this.finish(lab, record, "failed", messageOf(error));
        throw error;
      }
      return this.deploymentOf(record);
    });
  }

  async setCanaryWeight(input: z.infer<typeof canaryWeightInputSchema>): Promise<Deployment> {
    const lab = this.labFor(input.service, "deployed");
    return this.exclusive(lab, "having its canary's weight changed", async () => {
      const record = this.runningCanary(lab);
      lab.canaryWeight = input.weight;
      record.weight = input.weight;
      await this.settle(`${lab.service}: canary at ${input.weight} %`);
      return this.deploymentOf(record);
    });
  }

  async promote(input: { readonly service: string }): Promise<Deployment> {
    const lab = this.labFor(input.service, "deployed");
    return this.exclusive(lab, "having its canary promoted", async () => {
      const record = this.runningCanary(lab);
      record.state = "rolling";
      for (const replica of lab.replicas) if (replica.role === "canary") replica.role = "stable";
      lab.canaryWeight = null;
      // The canary took the place of one old replica: the others are replaced, the last one retired.
      const old = this.serving(lab).filter((replica) => !record.started.has(replica.process.name));
      try {
        await this.rollOver(lab, record, old.slice(0, -1));
        await this.retire(lab, old.slice(-1));
      } catch (error) {
        await this.finish(lab, record, "failed", messageOf(error));
        throw error;
      }
      await this.finish(lab, record, "done", "promoted");
      return this.deploymentOf(record);
    });
  }

  async rollBack(input: { readonly service: string }): Promise<Deployment> {
    const lab = this.labFor(input.service, "rolled back");
    if (lab.active?.state === "canary" && lab.busy === null) {
      const record = lab.active;
      return this.exclusive(lab, "having its canary rolled back", () => this.rollBackCanary(lab, record, "rolled back by hand"));
    }
    return this.exclusive(lab, "being rolled back", async () => {
      const last = this.history.find((record) => record.service === lab.service);
      if (!last)
        throw precondition(
          `${lab.service} has not been deployed since the stack started: there is no earlier version to go back to`,
        );
      const target = last.from;
      const old = this.serving(lab).filter(
        (replica) => replica.release.version !== target.version || replica.release.flavour !== target.flavour,
      );
      if (old.length === 0)
        throw precondition(`${lab.service} already runs ${target.version}, the version before its last deploy`);
      if (last.state === "done") {
        last.state = "rolled-back";
        last.reason = `rolled back to ${target.version} by hand`;
      }
      const record = this.begin(lab, {
        strategy: "rolling",
        from: this.currentRelease(lab),
        to: target,
        weight: 0,
        rollbackAbove: null,
      });
      try {
        await this.rollOver(lab, record, old);
      } catch (error) {
        await this.finish(lab, record, "failed", messageOf(error));
        throw error;
      }
      await this.finish(lab, record, "done", `back to ${target.version}, the version before ${last.to.version}`);
      return this.deploymentOf(record);
    });
  }

  /** Drains and stops the canary; the old replicas take every call again. */
  private async rollBackCanary(lab: ServiceLab, record: DeploymentRecord, reason: string): Promise<Deployment> {
    await this.retire(
      lab,
      this.serving(lab).filter((replica) => replica.role === "canary"),
    );
    lab.canaryWeight = null;
    await this.finish(lab, record, "rolled-back", reason);
    return this.deploymentOf(record);
  }

  /** On every report: a canary whose recent error rate passed its threshold is rolled back, once. */
  private judgeCanaries(): void {
    for (const lab of this.labs.values()) {
      const record = lab.active;
      if (record?.state !== "canary" || record.rollbackAbove === null || lab.busy !== null) continue;
      const recent = [...record.started].reduce<Tally>(
        (sum, instance) => {
          const calls = this.feed.recentCalls(lab.service, instance);
          return { ok: sum.ok + calls.ok, failed: sum.failed + calls.failed };
        },
        { ok: 0, failed: 0 },
      );
      const verdict = canaryVerdict(recent, record.rollbackAbove);
      if (verdict === null) continue;
      this.logger.warn({ service: lab.service, version: record.to.version }, `canary rolled back: ${verdict}`);
      this.exclusive(lab, "having its canary rolled back", () => this.rollBackCanary(lab, record, verdict)).catch(
        (error: unknown) => this.logger.warn({ err: error, service: lab.service }, "the canary's roll-back failed"),
      );
    }
  }

  private runningCanary(lab: ServiceLab): DeploymentRecord {
    const record = lab.active;
    if (record?.state !== "canary")
      throw precondition(`${lab.service} has no canary running: deploy it with the canary strategy first`);
    return record;
  }

  private canaryRuns(lab: ServiceLab, record: DeploymentRecord, before: string): string {
    return `${lab.service} has a canary of ${record.to.version} taking ${record.weight} % of its calls: promote it or roll it back before ${before}`;
  }

  private begin(
    lab: ServiceLab,
    plan: Pick<DeploymentRecord, "strategy" | "from" | "to" | "weight" | "rollbackAbove">,
  ): DeploymentRecord {
    this.counters.deployment += 1;
    const record: DeploymentRecord = {
      id: `deploy-${this.counters.deployment}`,
      service: lab.service,
      ...plan,
      state: plan.strategy,
      startedAt: this.now(),
      finishedAt: null,
      reason: null,
      baseline: this.feed.totalsFor(lab.service),
      started: new Set(),
      frozen: null,
    };
    lab.active = record;
    this.history = [record, ...this.history].slice(0, KEPT_DEPLOYMENTS);
    return record;
  }

  /** Ends a deploy; its calls are frozen once every caller has reported what it sent until now. */
  private async finish(
    lab: ServiceLab,
    record: DeploymentRecord,
    state: "done" | "failed" | "rolled-back",
    reason: string | null,
  ): Promise<void> {
    record.state = state;
    record.reason = reason;
    record.finishedAt = this.now();
    if (lab.active === record) lab.active = null;
    await this.feed.waitForReportsAfter(record.finishedAt);
    const view = this.deploymentOf(record);
    record.frozen = { calls: view.calls, canary: { ok: view.canary.ok, failed: view.canary.failed } };
  }

  /** Replaces each of `old` in turn: a new replica of `record.to` joins the endpoints, then the old one leaves. */
  private async rollOver(lab: ServiceLab, record: DeploymentRecord, old: readonly Replica[]): Promise<void> {
    for (const replica of old) {
      await this.addReplicas(lab, 1, record.to, "stable", record);
      await this.retire(lab, [replica]);
      const serving = this.serving(lab);
      record.weight = Math.round((100 * serving.filter((r) => r.release.version === record.to.version).length) / serving.length);
    }
  }

  // ---- Replicas in and out -----------------------------------------------------------------

  /**
   * Starts `count` replicas of `release`, and once ready puts them in the endpoints and waits
   * until every caller sends to them. A replica that does not start is stopped and forgotten, and
   * the call fails saying why (the others stay).
   */
  private async addReplicas(
    lab: ServiceLab,
    count: number,
    release: Release,
    role: Replica["role"],
    record?: DeploymentRecord,
  ): Promise<Replica[]> {
    const taken = this.supervisor
      .all()
      .filter((process) => process.spec.kind === "service" && process.spec.service === lab.service)
      .map((process) => process.spec.replica);
    const specs: ProcessSpec[] = [];
    for (let added = 0; added < count; added += 1) {
      const replica = lowestFreeReplica([...taken, ...specs.map((spec) => spec.replica)]);
      specs.push(replicaSpec(lab.base, { replica, port: replica === 1 ? lab.base.port : await this.newPort(specs), release }));
    }
    const processes = specs.map((spec) => this.supervisor.add(spec));
    for (const process of processes) {
      this.feed.forgetRecent(lab.service, process.name);
      record?.started.add(process.name);
    }
    const outcomes = await Promise.allSettled(processes.map((process) => process.start()));
    const added: Replica[] = [];
    const failures: string[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const process = processes[index]!;
      if (outcome.status === "fulfilled") {
        added.push({ process, release, role });
        continue;
      }
      failures.push(`${process.name} did not start: ${messageOf(outcome.reason)}`);
      await process.stop();
      if (process.state === "stopped") this.supervisor.remove(process);
    }
    lab.replicas.push(...added);
    if (added.length > 0) await this.settle(`${lab.service}: ${added.map((r) => r.process.name).join(", ")} in the endpoints`);
    if (failures.length > 0) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: failures.join("; ") });
    return added;
  }

  /** Takes replicas out of the endpoints, waits until no caller sends to them, then stops them (SIGTERM: they drain). */
  private async retire(lab: ServiceLab, leaving: readonly Replica[]): Promise<void> {
    if (leaving.length === 0) return;
    for (const replica of leaving) replica.role = "leaving";
    await this.settle(`${lab.service}: ${leaving.map((r) => r.process.name).join(", ")} out of the endpoints`);
    await Promise.all(leaving.map((replica) => replica.process.stop()));
    for (const replica of leaving) if (replica.process.state === "stopped") this.supervisor.remove(replica.process);
    lab.replicas = lab.replicas.filter((replica) => !leaving.includes(replica));
    this.publish();
  }

  private async newPort(chosen: readonly ProcessSpec[]): Promise<number> {
    const portFor =
      this.options.portFor ?? (() => freePort(new URL(this.labs.values().next().value?.base.url ?? "http://127.0.0.1").hostname));
    for (;;) {
      const port = await portFor();
      if (!chosen.some((spec) => spec.port === port)) return port;
    }
  }

  private serving(lab: ServiceLab): Replica[] {
    return lab.replicas.filter((replica) => replica.role !== "leaving");
  }

  /** What the service runs: its stable replicas' release (the canary's is not it yet). */
  private currentRelease(lab: ServiceLab): Release {
    const serving = this.serving(lab);
    return (serving.find((replica) => replica.role === "stable") ?? serving[0])?.release ?? releaseOf(lab.base.env);
  }

  // ---- Faults, scenarios, load -------------------------------------------------------------

  async setFault(input: FaultInput): Promise<Fault> {
    const fault = this.addFault(input);
    await this.settle(`fault ${fault.id} set`);
    return fault;
  }

  async clearFault(input: { readonly id: string }): Promise<readonly Fault[]> {
    if (!this.faults.some((fault) => fault.id === input.id)) {
      const known = this.faults.map((fault) => fault.id);
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `No fault ${input.id} is set; ${known.length > 0 ? `the faults in force are ${known.join(", ")}` : "none is"}`,
      });
    }
    this.removeFaults((fault) => fault.id === input.id);
    await this.settle(`fault ${input.id} cleared`);
    return this.faults;
  }

  async clearFaults(): Promise<readonly Fault[]> {
    this.removeFaults(() => true);
    await this.settle("every fault cleared");
    return this.faults;
  }

  async applyScenario(input: { readonly name: ScenarioName }): Promise<LabSnapshot> {
    const scenario = scenarios[input.name];
    const already = [...this.scenarioOf.values()].includes(input.name);
    if (!already) {
      // The load first: when it cannot start, nothing of the scenario is set.
      if (scenario.load) {
        this.startDriver(loadSettingsSchema.parse(scenario.load));
        this.loadBy = input.name;
      }
      for (const fault of scenario.faults) this.scenarioOf.set(this.addFault(fault).id, input.name);
      await this.settle(`scenario ${input.name} applied`);
    }
    return this.snapshotNow();
  }

  async clearScenario(input: { readonly name: ScenarioName }): Promise<LabSnapshot> {
    this.removeFaults((fault) => this.scenarioOf.get(fault.id) === input.name);
    if (this.loadBy === input.name) {
      this.loadBy = null;
      this.load.stop();
    }
    await this.settle(`scenario ${input.name} cleared`);
    return this.snapshotNow();
  }

  startLoad(input: LoadSettingsInput): Promise<LoadStatus> {
    // A driver that cannot start throws: as a rejection, like every other refusal here.
    return Promise.resolve().then(() => {
      const status = this.startDriver(loadSettingsSchema.parse(input));
      this.loadBy = null;
      return status;
    });
  }

  stopLoad(): Promise<LoadStatus> {
    this.loadBy = null;
    return Promise.resolve(this.load.stop());
  }

  private startDriver(settings: z.infer<typeof loadSettingsSchema>): LoadStatus {
    try {
      return this.load.start(settings);
    } catch (error) {
      throw precondition(`The load did not start: ${messageOf(error)}`);
    }
  }

  private addFault(input: FaultInput): Fault {
    this.counters.fault += 1;
    const fault = faultOf(input, `fault-${this.counters.fault}`, this.now());
    this.faults = [...this.faults, fault];
    return fault;
  }

  private removeFaults(which: (fault: Fault) => boolean): void {
    const leaving = this.faults.filter(which);
    for (const fault of leaving) this.scenarioOf.delete(fault.id);
    this.faults = this.faults.filter((fault) => !leaving.includes(fault));
  }

  /** Stops the load for good (the stack is stopping) and stops listening. */
  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    await this.load.close();
  }

  // ---- The feed ----------------------------------------------------------------------------

  /** Puts the current endpoints and faults in the feed; returns its revision. */
  private publish(): number {
    const endpoints: Endpoints = {};
    for (const lab of this.labs.values()) {
      endpoints[lab.service as keyof Endpoints] = endpointsOf(
        lab.replicas.map(({ process, release, role }) => ({
          instance: process.name,
          url: `${process.spec.url}/trpc`,
          version: release.version,
          role,
          ready: process.state === "ready",
        })),
        lab.canaryWeight,
      );
    }
    return this.feed.publish({ endpoints, faults: this.faults });
  }

  /** Publishes, then waits (bounded) until every process follows: what each change answers after. */
  private async settle(change: string): Promise<void> {
    const revision = this.publish();
    const wait = await this.feed.waitUntilApplied(revision, { timeoutMs: this.options.applyTimeoutMs ?? 5_000 });
    if (!wait.applied)
      this.logger.warn(
        { revision, lagging: wait.lagging },
        `${change}: proceeding although some processes did not follow the feed in time`,
      );
  }

  /** Why a report signed as `caller` may not speak for `instance`, or null. */
  private refuseReport(caller: string, instance: string): string | null {
    const found = this.supervisor.lookup(instance);
    // By its exact name: a service's name would stand for its replicas here.
    if (!found.found || found.process.name !== instance) return `No process named "${instance}" runs in this stack`;
    const signer = signerOf(found.process.spec);
    return signer === caller ? null : `${caller} may not report for ${instance}, which signs as ${signer ?? "nobody"}`;
  }

  // ---- One change at a time ----------------------------------------------------------------

  private labFor(service: string, done: string): ServiceLab {
    if (this.supervisor.mode === "monolith") {
      throw precondition(
        `In monolith mode ${service} runs inside the monolith process, so it cannot be ${done} on its own; start the stack with --mode microservices for that`,
      );
    }
    const lab = this.labs.get(service);
    if (!lab)
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `${service} does not run in this stack (it runs ${[...this.labs.keys()].join(", ")})`,
      });
    return lab;
  }

  private async exclusive<T>(lab: ServiceLab, doing: string, work: () => Promise<T>): Promise<T> {
    if (lab.busy !== null) throw conflict(`${lab.service} is ${lab.busy}; try again once that is done`);
    lab.busy = doing;
    try {
      return await work();
    } finally {
      lab.busy = null;
    }
  }
}

type Endpoints = Partial<Record<ServiceName, Endpoint[]>>;
