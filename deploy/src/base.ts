/**
 * The kustomize base, as objects: a Deployment and a Service per workload, the `otlp` Service every
 * process sends its spans to, and NetworkPolicies that let each workload reach only what the
 * topology says it calls (plus the OTLP sink and DNS) and be reached only by its callers.
 */
import { allowedCallers, serviceUrlsEnvName, type ServiceName } from "@microshop/topology";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IService } from "kubernetes-models/v1/Service";
import { nameLabel, namespace, otlpPort, otlpSinkLabel, tracedLabel, workload, workloads, type Workload } from "./workloads";

export const partOf = { "app.kubernetes.io/part-of": "microshop" } as const;

export function labelsOf(target: Workload): Record<string, string> {
  return {
    [nameLabel]: target.name,
    "app.kubernetes.io/component": target.kind,
    ...partOf,
    ...(target.traced ? { [tracedLabel]: "true" } : {}),
    ...(target.kind === "telemetry" ? { [otlpSinkLabel]: "true" } : {}),
  };
}

export function keysSecretName(name: string): string {
  return `${name}-keys`;
}

/** The name deploy/images/build.sh tags (podman's `localhost/` prefix), so a cluster loading those images finds them. */
export function imageOf(name: string): string {
  return `localhost/microshop/${name}:dev`;
}

const otlpEndpoint = `http://otlp:${otlpPort}`;

/** The tRPC URL a workload reaches another by: its Service's cluster DNS name. */
function callUrl(callee: string): string {
  const target = workload(callee);
  return `http://${target.name}:${target.port}/trpc`;
}

function envOf(target: Workload): IEnvVar[] {
  const env: Record<string, string> = {
    NODE_ENV: "production",
    HOST: "0.0.0.0",
    PORT: String(target.port),
    LOG_LEVEL: "info",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (target.kind === "web") delete env.LOG_LEVEL;
  else delete env.NEXT_TELEMETRY_DISABLED;
  if (target.traced) env.OTEL_EXPORTER_OTLP_ENDPOINT = otlpEndpoint;
  else env.OTEL_SDK_DISABLED = "true";
  if (target.name === "telemetry") delete env.OTEL_SDK_DISABLED;
  for (const callee of target.calls) {
    if (callee === "telemetry") env.TELEMETRY_URL = callUrl(callee);
    else env[serviceUrlsEnvName(callee as ServiceName)] = callUrl(callee);
  }
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

function resourcesOf(target: Workload) {
  if (target.kind === "web") return { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "768Mi" } };
  // Room for the span store's default budget (TELEMETRY_MAX_BYTES, 256 MB) and the process around it.
  if (target.kind === "telemetry") return { requests: { cpu: "100m", memory: "384Mi" }, limits: { cpu: "1", memory: "768Mi" } };
  return { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "384Mi" } };
}

export function deploymentOf(target: Workload): IDeployment {
  const labels = labelsOf(target);
  const probe = (path: string) => ({ httpGet: { path, port: "http" }, periodSeconds: 10, timeoutSeconds: 3 });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: target.name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [nameLabel]: target.name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
          // Longer than the runtime's own shutdown budget (SHUTDOWN_TIMEOUT_MS, 10 s).
          terminationGracePeriodSeconds: 20,
          containers: [
            {
              name: target.name,
              image: imageOf(target.name),
              imagePullPolicy: "IfNotPresent",
              ports: [{ name: "http", containerPort: target.port, protocol: "TCP" }],
              env: envOf(target),
              ...(target.signs || target.checksCallers
                ? { envFrom: [{ secretRef: { name: keysSecretName(target.name) } }] }
                : {}),
              readinessProbe: { ...probe(target.readinessPath), failureThreshold: 3 },
              livenessProbe: { ...probe(target.livenessPath), failureThreshold: 3 },
              // A cold start migrates and seeds (services) or warms the app (Next): up to 5 minutes before liveness applies.
              startupProbe: { ...probe(target.livenessPath), failureThreshold: 30 },
              resources: resourcesOf(target),
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
}

export function serviceOf(target: Workload): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: target.name, labels: labelsOf(target) },
    spec: {
      selector: { [nameLabel]: target.name },
      ports: [{ name: "http", port: target.port, targetPort: "http", protocol: "TCP" }],
    },
  };
}

/** Where spans go: whichever pods carry the sink label (telemetry in the base, the Collector in production). */
export function otlpService(): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "otlp", labels: { ...partOf } },
    spec: {
      selector: { [otlpSinkLabel]: "true" },
      ports: [{ name: "otlp-http", port: otlpPort, targetPort: otlpPort, protocol: "TCP" }],
    },
  };
}

const byName = (name: string): INetworkPolicyPeer => ({ podSelector: { matchLabels: { [nameLabel]: name } } });
const deployed = new Set(workloads.map((candidate) => candidate.name));

/** DNS, wherever the cluster runs it. */
export const dnsEgress: INetworkPolicyEgressRule = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/** Pods of this namespace that export spans, as a policy peer. */
export const tracedPeer: INetworkPolicyPeer = { podSelector: { matchLabels: { [tracedLabel]: "true" } } };

export function networkPolicyOf(target: Workload): INetworkPolicy {
  // Callers as the topology grants them; the monolith and the operator are not deployed here.
  const callers = allowedCallers(target.name).filter((caller) => deployed.has(caller));
  const from: INetworkPolicyPeer[] = target.public ? [] : callers.map(byName);
  // Telemetry also receives every traced process's spans (directly, or through the Collector in production).
  if (target.kind === "telemetry") from.push(tracedPeer, byName("otel-collector"));
  const egress: INetworkPolicyEgressRule[] = target.calls.map((callee) => ({
    to: [byName(callee)],
    ports: [{ protocol: "TCP", port: workload(callee).port }],
  }));
  if (target.traced)
    egress.push({
      to: [{ podSelector: { matchLabels: { [otlpSinkLabel]: "true" } } }],
      ports: [{ protocol: "TCP", port: otlpPort }],
    });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: target.name, labels: { ...partOf } },
    spec: {
      podSelector: { matchLabels: { [nameLabel]: target.name } },
      policyTypes: ["Ingress", "Egress"],
      // A public workload takes traffic from anywhere on its port (an Ingress controller, a port-forward).
      ingress: [{ ...(from.length > 0 ? { from } : {}), ports: [{ protocol: "TCP", port: target.port }] }],
      egress: [...egress, dnsEgress],
    },
  };
}

/** Nothing in the namespace talks to anything unless a policy above says so. */
export function defaultDenyPolicy(): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", labels: { ...partOf } },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  };
}

export function namespaceObject(): INamespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { ...partOf } } };
}

export function baseFiles(): Record<string, readonly object[]> {
  return {
    "namespace.yaml": [namespaceObject()],
    "workloads.yaml": workloads.flatMap((target) => [deploymentOf(target), serviceOf(target)]),
    "otlp-service.yaml": [otlpService()],
    "network-policies.yaml": [defaultDenyPolicy(), ...workloads.map(networkPolicyOf)],
  };
}
