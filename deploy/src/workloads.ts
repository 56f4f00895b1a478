/**
 * What runs on Kubernetes, derived from `@microshop/topology` alone: one workload per service, the
 * telemetry service, the storefront and the dashboard. The manifests are generated from this list,
 * so a new service or dependency in the topology reaches the cluster (and its NetworkPolicies) by
 * running `pnpm --filter @microshop/deploy manifests`.
 */
import { outsideCallers, ports, serviceNames, services, type ServiceName } from "@microshop/topology";

export type WorkloadKind = "service" | "telemetry" | "web";

export interface Workload {
  readonly name: string;
  readonly kind: WorkloadKind;
  readonly port: number;
  /** Workloads this one calls (its `dependsOn`, or an outside caller's list). */
  readonly calls: readonly string[];
  /** Owns a database: SQLite on a volume locally, its own Postgres in production. */
  readonly database: boolean;
  /** Sends spans to the OTLP sink (the telemetry service, or the Collector in production). */
  readonly traced: boolean;
  /** Holds a signing key (it calls services); every workload that checks callers holds the trusted keys. */
  readonly signs: boolean;
  readonly checksCallers: boolean;
  /** Keeps state in memory, so it runs as one replica without an autoscaler. */
  readonly stateful: boolean;
  /** Reached from outside the cluster (through an Ingress or a port-forward). */
  readonly public: boolean;
  readonly readinessPath: string;
  readonly livenessPath: string;
}

export const namespace = "microshop";
export const otlpPort = ports.telemetry;
/** Label of the pods that receive every process's spans: the telemetry service, or the Collector in production. */
export const otlpSinkLabel = "microshop.dev/otlp-sink";
export const tracedLabel = "microshop.dev/traced";
export const nameLabel = "app.kubernetes.io/name";

function serviceWorkload(name: ServiceName): Workload {
  return {
    name,
    kind: "service",
    port: services[name].port,
    calls: services[name].dependsOn,
    database: true,
    traced: true,
    signs: true,
    checksCallers: true,
    stateful: false,
    public: false,
    readinessPath: "/readyz",
    livenessPath: "/healthz",
  };
}

// The Next apps answer one health route (`/api/health`); the services answer `/readyz` and `/healthz`.
export const workloads: readonly Workload[] = [
  ...serviceNames.map(serviceWorkload),
  {
    name: "telemetry",
    kind: "telemetry",
    port: ports.telemetry,
    calls: [],
    database: false,
    traced: false,
    signs: false,
    checksCallers: true,
    stateful: true,
    public: false,
    readinessPath: "/readyz",
    livenessPath: "/healthz",
  },
  {
    name: "storefront",
    kind: "web",
    port: ports.storefront,
    calls: outsideCallers.storefront,
    database: false,
    traced: true,
    signs: true,
    checksCallers: false,
    stateful: false,
    public: true,
    readinessPath: "/api/health",
    livenessPath: "/api/health",
  },
  {
    name: "dashboard",
    kind: "web",
    port: ports.dashboard,
    calls: outsideCallers.dashboard,
    database: false,
    // Not traced: its own polling would be most of what the map showed.
    traced: false,
    signs: true,
    checksCallers: false,
    stateful: false,
    public: true,
    readinessPath: "/api/health",
    livenessPath: "/api/health",
  },
];

export function workload(name: string): Workload {
  const found = workloads.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No workload named ${name}`);
  return found;
}

/** Every workload that signs its calls: the processes whose public keys go into `SERVICE_TRUSTED_KEYS`. */
export const signerNames: readonly string[] = workloads.filter((candidate) => candidate.signs).map((candidate) => candidate.name);
