/**
 * The two overlays, as objects. Local: one replica each, every service's SQLite file on its own
 * volume, migrated by an init container before the service starts. Production: Postgres per service
 * (`DATABASE_URL=postgres://...` from a Secret), replicas, autoscalers for the stateless workloads,
 * disruption budgets, and the OpenTelemetry Collector (hand-written, `otel-collector.yaml`) as the sink.
 */
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IService } from "kubernetes-models/v1/Service";
import { dnsEgress, imageOf, keysSecretName, partOf } from "./base";
import { nameLabel, otlpSinkLabel, workloads, type Workload } from "./workloads";

const databaseOwners = workloads.filter((target) => target.database);
const keyHolders = workloads.filter((target) => target.signs || target.checksCallers);

/** The Prisma CLI that ships in every service image, run by the init container before the service starts. */
const migrateCommand = ["node", "node_modules/prisma/build/index.js", "migrate", "deploy"];

/** A strategic-merge patch of one Deployment. */
interface DeploymentPatch {
  apiVersion: "apps/v1";
  kind: "Deployment";
  metadata: { name: string; labels?: Record<string, string | null> };
  spec: Record<string, unknown>;
}

function patchOf(name: string, spec: Record<string, unknown>, labels?: Record<string, string | null>): DeploymentPatch {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

function keysGenerator(target: Workload) {
  return { name: keysSecretName(target.name), envs: [`secrets/${target.name}.env`] };
}

function kustomization(fields: Record<string, unknown>): object {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    namespace: "microshop",
    ...fields,
  };
}

// ----- local -----------------------------------------------------------------------------------

function localVolume(target: Workload): IPersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: `${target.name}-data`, labels: { [nameLabel]: target.name, ...partOf } },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  };
}

function localDatabasePatch(target: Workload): DeploymentPatch {
  const env = [
    { name: "DATA_DIR", value: "/data" },
    { name: "DATABASE_URL", value: `file:/data/${target.name}.db` },
  ];
  const mount = [{ name: "data", mountPath: "/data" }];
  return patchOf(target.name, {
    // One pod owns the volume (ReadWriteOnce): the old one stops before the new one starts.
    strategy: { type: "Recreate", rollingUpdate: null },
    template: {
      spec: {
        initContainers: [
          {
            name: "migrate",
            image: imageOf(target.name),
            imagePullPolicy: "IfNotPresent",
            command: migrateCommand,
            env,
            volumeMounts: mount,
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "384Mi" } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
        containers: [{ name: target.name, env, volumeMounts: mount }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: `${target.name}-data` } }],
      },
    },
  });
}

export function localFiles(): Record<string, readonly object[]> {
  const patchPath = (target: Workload) => `patches/${target.name}-database.yaml`;
  const patchFiles = databaseOwners.map(patchPath);
  const patches: Record<string, readonly object[]> = {};
  for (const target of databaseOwners) patches[patchPath(target)] = [localDatabasePatch(target)];
  return {
    "kustomization.yaml": [
      kustomization({
        resources: ["../../base", "volumes.yaml"],
        patches: [...patchFiles, "patches/storefront-cookies.yaml"].map((path) => ({ path })),
        secretGenerator: keyHolders.map(keysGenerator),
      }),
    ],
    "volumes.yaml": databaseOwners.map(localVolume),
    ...patches,
    // Plain http on localhost: session cookies without the Secure flag.
    "patches/storefront-cookies.yaml": [
      patchOf("storefront", {
        template: { spec: { containers: [{ name: "storefront", env: [{ name: "COOKIE_SECURE", value: "false" }] }] } },
      }),
    ],
  };
}

// ----- production ------------------------------------------------------------------------------

const replicasInProduction = 2;

function databaseSecretName(target: Workload): string {
  return `${target.name}-database`;
}

function postgresName(target: Workload): string {
  return `${target.name}-postgres`;
}

function postgresObjects(target: Workload): [IStatefulSet, IService, INetworkPolicy] {
  const name = postgresName(target);
  const labels = { [nameLabel]: name, "app.kubernetes.io/component": "database", ...partOf };
  const secret = databaseSecretName(target);
  return [
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: { [nameLabel]: name } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
            containers: [
              {
                name: "postgres",
                image: "postgres:17",
                ports: [{ name: "postgres", containerPort: 5432, protocol: "TCP" }],
                env: [
                  { name: "POSTGRES_DB", value: target.name },
                  { name: "POSTGRES_USER", value: target.name },
                  { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: "POSTGRES_PASSWORD" } } },
                  { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                ],
                readinessProbe: { exec: { command: ["pg_isready", "-U", target.name, "-d", target.name] }, periodSeconds: 10 },
                livenessProbe: { exec: { command: ["pg_isready", "-U", target.name, "-d", target.name] }, periodSeconds: 20 },
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
          },
        ],
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, labels },
      spec: {
        clusterIP: "None",
        selector: { [nameLabel]: name },
        ports: [{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }],
      },
    },
    {
      // Its service reaches it (and only it), and it reaches nothing.
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name, labels: { ...partOf } },
      spec: {
        podSelector: { matchLabels: { [nameLabel]: name } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ podSelector: { matchLabels: { [nameLabel]: target.name } } }], ports: [{ protocol: "TCP", port: 5432 }] },
        ],
        egress: [],
      },
    },
  ];
}

/** Added to the service's own policy (policies add up): egress to its own database. */
function databaseEgressPolicy(target: Workload): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `${target.name}-to-database`, labels: { ...partOf } },
    spec: {
      podSelector: { matchLabels: { [nameLabel]: target.name } },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { [nameLabel]: postgresName(target) } } }],
          ports: [{ protocol: "TCP", port: 5432 }],
        },
        dnsEgress,
      ],
    },
  };
}

function productionDatabasePatch(target: Workload): DeploymentPatch {
  const env = [{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: databaseSecretName(target), key: "DATABASE_URL" } } }];
  return patchOf(target.name, {
    replicas: replicasInProduction,
    template: {
      spec: {
        initContainers: [
          {
            name: "migrate",
            image: imageOf(target.name),
            command: migrateCommand,
            env,
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "384Mi" } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
        containers: [{ name: target.name, env }],
      },
    },
  });
}

function productionPatch(target: Workload): DeploymentPatch {
  if (target.database) return productionDatabasePatch(target);
  if (target.kind === "telemetry") {
    // The Collector takes over as the sink (`otlp` selects it); telemetry keeps its one replica (spans live in memory).
    const labels = { [otlpSinkLabel]: null };
    return patchOf(target.name, { replicas: 1, template: { metadata: { labels } } }, labels);
  }
  return patchOf(target.name, { replicas: replicasInProduction });
}

function autoscalerOf(target: Workload): IHorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: target.name, labels: { [nameLabel]: target.name, ...partOf } },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target.name },
      minReplicas: replicasInProduction,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
  };
}

function disruptionBudgetOf(name: string): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, labels: { [nameLabel]: name, ...partOf } },
    // One pod at a time: a drain never takes a replicated workload down, nor blocks on a single one.
    spec: { maxUnavailable: 1, selector: { matchLabels: { [nameLabel]: name } } },
  };
}

export function productionFiles(): Record<string, readonly object[]> {
  const patchPath = (target: Workload) => `patches/${target.name}.yaml`;
  const patchFiles = workloads.map(patchPath);
  const patches: Record<string, readonly object[]> = {};
  for (const target of workloads) patches[patchPath(target)] = [productionPatch(target)];
  return {
    "kustomization.yaml": [
      kustomization({
        resources: ["../../base", "otel-collector.yaml", "postgres.yaml", "autoscalers.yaml", "disruption-budgets.yaml"],
        patches: patchFiles.map((path) => ({ path })),
        // The env files are made by `pnpm --filter @microshop/deploy secrets` and never committed.
        secretGenerator: [
          ...keyHolders.map(keysGenerator),
          ...databaseOwners.map((target) => ({
            name: databaseSecretName(target),
            envs: [`secrets/${target.name}-database.env`],
          })),
        ],
      }),
    ],
    "postgres.yaml": databaseOwners.flatMap((target) => [...postgresObjects(target), databaseEgressPolicy(target)]),
    "autoscalers.yaml": workloads.filter((target) => !target.stateful).map(autoscalerOf),
    "disruption-budgets.yaml": [...workloads.map((target) => target.name), "otel-collector"].map(disruptionBudgetOf),
    ...patches,
  };
}
