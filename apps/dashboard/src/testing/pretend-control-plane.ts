/**
 * An in-memory control plane whose replicas, deploys, faults and load really change, served with
 * the real `controlPlaneRouter`: for the BFF's tests and for working on the lab's UI without the
 * stack (`scripts/dev-lab.ts`). Changes take `delayMs` per replica, as starting a process would;
 * `tick()` stands in for the traffic a real plane hears about from its processes (calls to a
 * deploying service, the load generator's journeys), so a canary fares well or badly by its flavour.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  defaultLoadSettings,
  journeyNames,
  scenarios,
  type ControlPlane,
  type Deployment,
  type DeployInput,
  faultOf,
  type Fault,
  type FaultInput,
  type Instance,
  type JourneyName,
  type JourneyStats,
  type LabSnapshot,
  type LoadSettings,
  type LoadSettingsInput,
  type LoadStatus,
  type ScenarioName,
  type ServiceView,
  type VersionFlavour,
} from "@microshop/lab";
import { controlPlaneRouter } from "@microshop/lab/router";
import { serviceNames, services } from "@microshop/topology";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { TRPCError } from "@trpc/server";
import { nextMinor } from "~/lib/lab-model";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type PretendInstance = Mutable<Instance>;
type PretendDeployment = Omit<Mutable<Deployment>, "calls" | "canary"> & {
  calls: Mutable<Deployment["calls"]>;
  canary: Mutable<Deployment["canary"]>;
};
type PretendLoad = Omit<Mutable<LoadStatus>, "total" | "byJourney"> & {
  total: Mutable<JourneyStats>;
  byJourney: Record<JourneyName, Mutable<JourneyStats>>;
};

interface PretendService {
  readonly service: string;
  version: string;
  flavour: VersionFlavour;
  instances: PretendInstance[];
  deployment: PretendDeployment | null;
  nextReplica: number;
  /** The canary's weight (percent) while one runs. */
  canaryWeight: number | null;
  /** Versions it ran, oldest first: what a roll back goes back to. */
  history: string[];
}

const emptyStats = (): Mutable<JourneyStats> => ({ started: 0, succeeded: 0, failed: 0, p50Ms: null, p95Ms: null });

export interface PretendControlPlaneOptions {
  readonly mode?: "microservices" | "monolith";
  /** How long one replica takes to start or drain. */
  readonly delayMs?: number;
  /** The clock of `startedAt`, `finishedAt` and `since`. */
  readonly now?: () => number;
}

export class PretendControlPlane implements ControlPlane {
  readonly mode: "microservices" | "monolith";
  private readonly delayMs: number;
  private readonly now: () => number;
  private readonly services = new Map<string, PretendService>();
  private faults: Fault[] = [];
  private readonly scenarioOf = new Map<string, ScenarioName>();
  private readonly deployments: PretendDeployment[] = [];
  /** A canary's error-rate threshold, by deployment id. */
  private readonly rollbackAbove = new Map<string, number>();
  private load: PretendLoad;
  private loadBudget = 0;
  private ids = 0;

  constructor(options: PretendControlPlaneOptions = {}) {
    this.mode = options.mode ?? "microservices";
    this.delayMs = options.delayMs ?? 800;
    this.now = options.now ?? Date.now;
    for (const name of serviceNames) {
      const service: PretendService = {
        service: name,
        version: "1.0.0",
        flavour: "good",
        instances: [],
        deployment: null,
        nextReplica: 1,
        canaryWeight: null,
        history: [],
      };
      if (this.mode === "microservices") service.instances.push(this.makeInstance(service, "1.0.0", "ready"));
      this.services.set(name, service);
    }
    this.load = {
      running: false,
      settings: defaultLoadSettings,
      startedAt: null,
      stoppedBecause: null,
      total: emptyStats(),
      recent: { ...emptyStats(), perSecond: 0 },
      byJourney: Object.fromEntries(journeyNames.map((name) => [name, emptyStats()])) as PretendLoad["byJourney"],
      skipped: 0,
    };
  }

  // ---- reads ----

  snapshot(): Promise<LabSnapshot> {
    return Promise.resolve(this.view());
  }

  private view(): LabSnapshot {
    return {
      mode: this.mode,
      services: [...this.services.values()].map((service) => this.serviceView(service)),
      faults: this.faults.map((fault) => ({ ...fault })),
      deployments: [...this.deployments].reverse().map((deployment) => this.copy(deployment)),
      load: structuredClone(this.load),
      scenarios: Object.values(scenarios).map(({ name, title }) => ({
        name,
        title,
        active: [...this.scenarioOf.values()].includes(name),
      })),
    };
  }

  private serviceView(service: PretendService): ServiceView {
    this.reweigh(service);
    return {
      service: service.service,
      ownProcess: this.mode === "microservices",
      replicas: service.instances.filter((instance) => instance.state !== "draining" && instance.state !== "stopping").length,
      instances: service.instances.map((instance) => ({ ...instance })),
      version: service.version,
      deployment: service.deployment ? this.copy(service.deployment) : null,
    };
  }

  private copy(deployment: PretendDeployment): Deployment {
    return { ...deployment, calls: { ...deployment.calls }, canary: { ...deployment.canary } };
  }

  // ---- replicas ----

  async scale({ service: name, replicas }: { service: string; replicas: number }): Promise<ServiceView> {
    const service = this.ownService(name, "scale");
    if (service.deployment && !this.finished(service.deployment))
      throw new TRPCError({ code: "CONFLICT", message: `${name} is being deployed: wait until it is done, then scale it.` });
    const serving = () => service.instances.filter((instance) => instance.state === "ready" || instance.state === "starting");
    while (serving().length < replicas) {
      const instance = this.makeInstance(service, service.version, "starting");
      service.instances.push(instance);
      await sleep(this.delayMs);
      instance.state = "ready";
    }
    while (serving().length > replicas) {
      const instance = serving().at(-1)!;
      await this.retire(service, instance);
    }
    return this.serviceView(service);
  }

  // ---- deploys ----

  async deploy(input: DeployInput): Promise<Deployment> {
    const service = this.ownService(input.service, "deploy");
    if (service.deployment && !this.finished(service.deployment))
      throw new TRPCError({
        code: "CONFLICT",
        message: `${input.service} is already being deployed: promote it or roll it back first.`,
      });
    const to = input.version ?? nextMinor(service.version);
    if (to === service.version) throw new TRPCError({ code: "BAD_REQUEST", message: `${input.service} already runs ${to}.` });
    const strategy = input.strategy;
    const deployment = this.newDeployment(input.service, strategy.kind, service.version, to, input.flavour ?? "good");
    service.deployment = deployment;
    this.deployments.push(deployment);
    if (strategy.kind === "canary") {
      service.canaryWeight = strategy.weight ?? 10;
      this.rollbackAbove.set(deployment.id, strategy.rollbackAbove ?? 0.2);
      const canary = this.makeInstance(service, to, "starting");
      service.instances.push(canary);
      await sleep(this.delayMs);
      canary.state = "ready";
      deployment.weight = service.canaryWeight;
      return this.copy(deployment);
    }
    await this.rollOver(service, deployment, to);
    this.finish(service, deployment, "done", null, to);
    return this.copy(deployment);
  }

  setCanaryWeight({ service: name, weight }: { service: string; weight: number }): Promise<Deployment> {
    const service = this.ownService(name, "deploy");
    const deployment = this.runningCanary(service);
    service.canaryWeight = weight;
    deployment.weight = weight;
    return Promise.resolve(this.copy(deployment));
  }

  async promote({ service: name }: { service: string }): Promise<Deployment> {
    const service = this.ownService(name, "deploy");
    const deployment = this.runningCanary(service);
    deployment.state = "rolling";
    service.canaryWeight = null;
    await this.rollOver(service, deployment, deployment.to);
    this.finish(service, deployment, "done", "promoted", deployment.to);
    return this.copy(deployment);
  }

  async rollBack({ service: name }: { service: string }): Promise<Deployment> {
    const service = this.ownService(name, "deploy");
    const current = service.deployment;
    if (current && current.state === "canary") {
      await this.dropCanary(service, current);
      this.finish(service, current, "rolled-back", "rolled back by hand", current.from);
      return this.copy(current);
    }
    const previous = service.history.at(-1);
    if (!previous) throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${name} has no earlier version to go back to.` });
    const back = this.newDeployment(name, "rolling", service.version, previous, "good");
    service.deployment = back;
    this.deployments.push(back);
    await this.rollOver(service, back, previous);
    service.history.pop();
    this.finish(service, back, "rolled-back", `back to ${previous}`, previous, false);
    return this.copy(back);
  }

  /** One replica at a time: start one of `version` (unless enough run), then drain and stop an old one. */
  private async rollOver(service: PretendService, deployment: PretendDeployment, version: string): Promise<void> {
    const isOld = (instance: PretendInstance) => instance.version !== version && instance.state === "ready";
    const isNew = (instance: PretendInstance) =>
      instance.version === version && (instance.state === "ready" || instance.state === "starting");
    const total = Math.max(1, service.instances.filter(isOld).length);
    while (service.instances.some(isOld)) {
      if (service.instances.filter(isNew).length < total) {
        const fresh = this.makeInstance(service, version, "starting");
        service.instances.push(fresh);
        await sleep(this.delayMs);
        fresh.state = "ready";
      }
      deployment.weight = Math.min(100, Math.round((service.instances.filter(isNew).length / total) * 100));
      const retiring = service.instances.find(isOld);
      if (retiring) await this.retire(service, retiring);
    }
    deployment.weight = 100;
  }

  private async dropCanary(service: PretendService, deployment: PretendDeployment): Promise<void> {
    service.canaryWeight = null;
    for (const canary of service.instances.filter((instance) => instance.version === deployment.to))
      await this.retire(service, canary);
  }

  private finish(
    service: PretendService,
    deployment: PretendDeployment,
    state: "done" | "rolled-back",
    reason: string | null,
    version: string,
    remember = true,
  ): void {
    deployment.state = state;
    deployment.reason = reason;
    deployment.finishedAt = this.now();
    if (remember && version !== service.version) service.history.push(service.version);
    service.version = version;
    service.flavour = state === "done" ? deployment.flavour : service.flavour;
    service.canaryWeight = null;
    this.reweigh(service);
  }

  private runningCanary(service: PretendService): PretendDeployment {
    const deployment = service.deployment;
    if (!deployment || deployment.state !== "canary")
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${service.service} has no canary running.` });
    return deployment;
  }

  private finished(deployment: Deployment): boolean {
    return deployment.state === "done" || deployment.state === "rolled-back" || deployment.state === "failed";
  }

  // ---- faults and scenarios ----

  /** A deploy as it starts: no calls counted yet; a canary waits for its weight. */
  private newDeployment(
    service: string,
    strategy: Deployment["strategy"],
    from: string,
    to: string,
    flavour: Deployment["flavour"],
  ): PretendDeployment {
    return {
      id: `deploy-${++this.ids}`,
      service,
      strategy,
      from,
      to,
      flavour,
      state: strategy === "canary" ? "canary" : "rolling",
      weight: 0,
      startedAt: this.now(),
      finishedAt: null,
      calls: { ok: 0, failed: 0 },
      canary: { ok: 0, failed: 0, errorRate: null },
      reason: null,
    };
  }

  setFault(input: FaultInput): Promise<Fault> {
    return Promise.resolve(this.addFault(input));
  }

  private addFault(input: FaultInput): Fault {
    const fault = faultOf(input, `fault-${++this.ids}`, this.now());
    this.faults.push(fault);
    return fault;
  }

  clearFault({ id }: { id: string }): Promise<readonly Fault[]> {
    if (!this.faults.some((fault) => fault.id === id))
      throw new TRPCError({ code: "NOT_FOUND", message: `No fault ${id}: it was cleared already.` });
    this.faults = this.faults.filter((fault) => fault.id !== id);
    this.scenarioOf.delete(id);
    return Promise.resolve([...this.faults]);
  }

  clearFaults(): Promise<readonly Fault[]> {
    this.faults = [];
    this.scenarioOf.clear();
    return Promise.resolve([]);
  }

  async applyScenario({ name }: { name: ScenarioName }): Promise<LabSnapshot> {
    const scenario = scenarios[name];
    if ([...this.scenarioOf.values()].includes(name)) return this.view();
    for (const input of scenario.faults) this.scenarioOf.set(this.addFault(input).id, name);
    if (scenario.load) await this.startLoad(scenario.load);
    return this.view();
  }

  async clearScenario({ name }: { name: ScenarioName }): Promise<LabSnapshot> {
    for (const [id, owner] of [...this.scenarioOf]) if (owner === name) await this.clearFault({ id });
    if (scenarios[name].load && this.load.running) await this.stopLoad();
    return this.view();
  }

  // ---- load ----

  startLoad(input: LoadSettingsInput): Promise<LoadStatus> {
    const settings: LoadSettings = { ...defaultLoadSettings, ...input, mix: input.mix };
    this.load = {
      ...this.load,
      running: true,
      settings,
      startedAt: this.now(),
      stoppedBecause: null,
      total: emptyStats(),
      skipped: 0,
    };
    return Promise.resolve(structuredClone(this.load));
  }

  stopLoad(): Promise<LoadStatus> {
    this.load = { ...this.load, running: false, stoppedBecause: "asked", recent: { ...emptyStats(), perSecond: 0 } };
    return Promise.resolve(structuredClone(this.load));
  }

  /**
   * `seconds` of traffic, as a real plane hears of it: each deploying service answers calls (its
   * canary, by its flavour, fails some), an errors canary past its threshold is rolled back, and
   * the load generator runs its journeys. `random` returns [0, 1) (tests pass their own).
   */
  tick(seconds: number, random: () => number = Math.random): void {
    for (const service of this.services.values()) {
      const deployment = service.deployment;
      if (!deployment || this.finished(deployment)) continue;
      const calls = Math.round(20 * seconds);
      for (let i = 0; i < calls; i++) {
        const toCanary = random() * 100 < deployment.weight;
        const failRate = toCanary ? { good: 0, errors: 0.4, breaking: 0.9 }[deployment.flavour] : 0;
        const failed = random() < failRate;
        if (failed) deployment.calls.failed += 1;
        else deployment.calls.ok += 1;
        if (toCanary) {
          if (failed) deployment.canary.failed += 1;
          else deployment.canary.ok += 1;
        }
      }
      const judged = deployment.canary.ok + deployment.canary.failed;
      deployment.canary.errorRate = judged === 0 ? null : deployment.canary.failed / judged;
      const threshold = this.rollbackAbove.get(deployment.id) ?? 1;
      if (deployment.state === "canary" && judged >= 10 && (deployment.canary.errorRate ?? 0) > threshold) {
        const rate = Math.round((deployment.canary.errorRate ?? 0) * 100);
        service.instances = service.instances.filter((instance) => instance.version !== deployment.to);
        this.finish(
          service,
          deployment,
          "rolled-back",
          `error rate ${rate} % above ${Math.round(threshold * 100)} %`,
          deployment.from,
        );
      }
    }
    if (this.load.running) this.runJourneys(seconds, random);
  }

  private runJourneys(seconds: number, random: () => number): void {
    const { settings } = this.load;
    this.loadBudget += settings.rate * seconds;
    const weights = journeyNames.map((name) => settings.mix[name]);
    const sum = weights.reduce((a, b) => a + b, 0);
    const slow = this.faults.reduce((ms, fault) => ms + fault.latencyMs, 0);
    const failShare = Math.min(
      1,
      this.faults.reduce((share, fault) => share + fault.errorRate + (fault.unreachable ? 0.5 : 0), 0) / 3,
    );
    let started = 0;
    let failedCount = 0;
    while (this.loadBudget >= 1) {
      this.loadBudget -= 1;
      let roll = random() * sum;
      const journey = journeyNames.find((_, i) => (roll -= weights[i] ?? 0) < 0) ?? "browse";
      const failed = random() < failShare;
      for (const stats of [this.load.total, this.load.byJourney[journey]]) {
        stats.started += 1;
        if (failed) stats.failed += 1;
        else stats.succeeded += 1;
        stats.p50Ms = 40 + slow / 2;
        stats.p95Ms = 120 + slow;
      }
      started += 1;
      if (failed) failedCount += 1;
    }
    const perSecond = seconds > 0 ? started / seconds : 0;
    this.load.recent = {
      started,
      succeeded: started - failedCount,
      failed: failedCount,
      p50Ms: started > 0 ? 40 + slow / 2 : null,
      p95Ms: started > 0 ? 120 + slow : null,
      perSecond,
    };
  }

  // ---- helpers ----

  private ownService(name: string, action: "scale" | "deploy"): PretendService {
    const service = this.services.get(name);
    if (!service) throw new TRPCError({ code: "NOT_FOUND", message: `No service ${name}.` });
    if (this.mode === "monolith")
      throw new TRPCError({
        code: "PRECONDITION_FAILED",
        message: `In the monolith every service runs inside one process: start the stack as microservices to ${action} ${name} on its own.`,
      });
    return service;
  }

  private makeInstance(service: PretendService, version: string, state: Instance["state"]): PretendInstance {
    const replica = service.nextReplica++;
    const port = (services[service.service as keyof typeof services]?.port ?? 4100) + (replica - 1) * 100;
    return {
      name: `${service.service}-${replica}`,
      service: service.service,
      replica,
      version,
      state,
      pid: 20_000 + port,
      url: `http://127.0.0.1:${port}`,
      weight: 0,
    };
  }

  private async retire(service: PretendService, instance: PretendInstance): Promise<void> {
    instance.state = "draining";
    this.reweigh(service);
    await sleep(this.delayMs / 2);
    service.instances = service.instances.filter((other) => other !== instance);
    this.reweigh(service);
  }

  /** Ready replicas share the calls; a canary takes its weight, the rest share what is left. */
  private reweigh(service: PretendService): void {
    const ready = service.instances.filter((instance) => instance.state === "ready");
    const canaryVersion = service.deployment?.state === "canary" ? service.deployment.to : null;
    const canaries = ready.filter((instance) => instance.version === canaryVersion);
    const others = ready.filter((instance) => instance.version !== canaryVersion);
    for (const instance of service.instances) instance.weight = 0;
    const canaryShare = canaries.length > 0 && others.length > 0 ? (service.canaryWeight ?? 0) : canaries.length > 0 ? 100 : 0;
    for (const instance of canaries) instance.weight = Math.round(canaryShare / canaries.length);
    for (const instance of others) instance.weight = Math.round((100 - canaryShare) / others.length);
  }
}

export interface RunningPretendControlPlane {
  /** What CONTROL_PLANE_URL points at. */
  readonly url: string;
  readonly plane: PretendControlPlane;
  close(): Promise<void>;
}

/**
 * Serves a pretend control plane over HTTP with the real router. `token`, when given, is the bearer
 * token every call must carry, as the supervisor's control API asks for its own.
 */
export async function startPretendControlPlane(
  options: PretendControlPlaneOptions & { port?: number; token?: string; tickMs?: number } = {},
): Promise<RunningPretendControlPlane> {
  const plane = new PretendControlPlane(options);
  const handler = createHTTPHandler({
    router: controlPlaneRouter,
    basePath: "/control/trpc/",
    createContext: ({ req }) => {
      if (options.token && req.headers.authorization !== `Bearer ${options.token}`)
        throw new TRPCError({ code: "UNAUTHORIZED", message: "The control plane needs its bearer token." });
      return { plane };
    },
  });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const timer = options.tickMs ? setInterval(() => plane.tick(options.tickMs! / 1_000), options.tickMs) : undefined;
  timer?.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/control/trpc`,
    plane,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
