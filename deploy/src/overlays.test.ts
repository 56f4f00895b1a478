/**
 * Renders both overlays with `kubectl kustomize`, validates every object against the Kubernetes
 * schemas and checks the result against `@microshop/topology` itself (not against the generator):
 * every service, port and dependency, the probes, resources, Secrets, and what the NetworkPolicies
 * let each pod reach. Production renders in a copy of the tree with key files made from a test root.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deriveSigningKey } from "@microshop/service-auth";
import { allowedCallers, outsideCallers, ports, serviceNames, services, serviceUrlsEnvName } from "@microshop/topology";
import { afterAll, describe, expect, it } from "vitest";
import { kubernetesDir } from "./generate";
import { allowed, podsOf, type Pod } from "./reachability";
import { renderOverlay, validateObject, type KubernetesObject } from "./render";
import { writeProductionSecrets } from "./secrets";

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { secretRef?: { name: string } }[];
  ports?: { containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
}
interface WorkloadSpec {
  replicas?: number;
  strategy?: { type: string };
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}

/** What the topology says runs, with its port: every service, the telemetry service and both Next apps. */
const expectedWorkloads: Record<string, number> = {
  ...Object.fromEntries(serviceNames.map((name) => [name, services[name].port])),
  telemetry: ports.telemetry,
  storefront: ports.storefront,
  dashboard: ports.dashboard,
};
/** Whom each workload calls: a service's dependsOn, an outside caller's list. */
const expectedCalls: Record<string, readonly string[]> = {
  ...Object.fromEntries(serviceNames.map((name) => [name, services[name].dependsOn])),
  telemetry: [],
  ...outsideCallers,
};
const tracedWorkloads = [...serviceNames, "storefront"];
const portOf = (name: string): number => {
  const port = expectedWorkloads[name];
  if (port === undefined) throw new Error(`no workload ${name}`);
  return port;
};

function find(objects: readonly KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}
const specOf = (object: KubernetesObject) => object.spec as WorkloadSpec;
const mainContainer = (objects: readonly KubernetesObject[], name: string): Container => {
  const container = specOf(find(objects, "Deployment", name)).template.spec.containers.find(
    (candidate) => candidate.name === name,
  );
  if (!container) throw new Error(`Deployment ${name} has no container named ${name}`);
  return container;
};
const envValue = (container: Container, name: string) => container.env?.find((entry) => entry.name === name);
const podOf = (pods: readonly Pod[], name: string): Pod => {
  const pod = pods.find((candidate) => candidate.name === name);
  if (!pod) throw new Error(`no pod ${name}`);
  return pod;
};
const secretData = (objects: readonly KubernetesObject[], name: string, key: string): string | undefined => {
  const data = (find(objects, "Secret", name).data ?? {}) as Record<string, string>;
  return data[key] === undefined ? undefined : Buffer.from(data[key], "base64").toString("utf8");
};

const testRoot = "deploy-test-root-secret-0123456789abcdef";
let copy: string | undefined;
let rendered: Record<"local" | "production", KubernetesObject[]> | undefined;

// Rendered on first use, inside a test, so that a missing kubectl fails every test with its message.
function renderedOverlay(overlay: "local" | "production"): KubernetesObject[] {
  if (!rendered) {
    if (!copy) {
      copy = mkdtempSync(path.join(tmpdir(), "microshop-kubernetes-"));
      cpSync(kubernetesDir, copy, { recursive: true });
      writeProductionSecrets(testRoot, path.join(copy, "overlays", "production", "secrets"));
    }
    rendered = {
      local: renderOverlay(path.join(copy, "overlays", "local")),
      production: renderOverlay(path.join(copy, "overlays", "production")),
    };
  }
  return rendered[overlay];
}

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe.each(["local", "production"] as const)("the %s overlay", (overlay) => {
  const objects = () => renderedOverlay(overlay);

  it("renders objects that all pass the Kubernetes schemas, in the microshop namespace", () => {
    expect(objects().length).toBeGreaterThan(0);
    for (const object of objects()) {
      validateObject(object);
      if (object.kind !== "Namespace")
        expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe("microshop");
    }
  });

  it("runs every workload of the topology as a Deployment and a Service on its port, and nothing unknown", () => {
    const extra = overlay === "production" ? ["otel-collector"] : [];
    const deployments = objects()
      .filter((object) => object.kind === "Deployment")
      .map((object) => object.metadata.name);
    expect(deployments.sort()).toEqual([...Object.keys(expectedWorkloads), ...extra].sort());
    for (const [name, port] of Object.entries(expectedWorkloads)) {
      expect(mainContainer(objects(), name).ports?.map((entry) => entry.containerPort)).toEqual([port]);
      expect(envValue(mainContainer(objects(), name), "PORT")?.value).toBe(String(port));
      expect(envValue(mainContainer(objects(), name), "HOST")?.value).toBe("0.0.0.0");
      const service = find(objects(), "Service", name).spec as { ports: { port: number }[]; selector: Record<string, string> };
      expect(service.ports.map((entry) => entry.port)).toEqual([port]);
      expect(service.selector).toEqual({ "app.kubernetes.io/name": name });
    }
  });

  it("probes readiness on /readyz and liveness on /healthz (the Next apps on their one health route)", () => {
    for (const name of Object.keys(expectedWorkloads)) {
      const container = mainContainer(objects(), name);
      const web = name === "storefront" || name === "dashboard";
      expect(container.readinessProbe?.httpGet?.path, name).toBe(web ? "/api/health" : "/readyz");
      expect(container.livenessProbe?.httpGet?.path, name).toBe(web ? "/api/health" : "/healthz");
    }
  });

  it("gives every container requests and limits for cpu and memory", () => {
    for (const object of objects().filter((candidate) => candidate.kind === "Deployment" || candidate.kind === "StatefulSet")) {
      const spec = specOf(object).template.spec;
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const side of ["requests", "limits"] as const)
          expect(
            Object.keys(container.resources?.[side] ?? {}).sort(),
            `${object.metadata.name}/${container.name} ${side}`,
          ).toEqual(["cpu", "memory"]);
      }
    }
  });

  it("hands each workload the URLs of exactly the services it calls", () => {
    for (const [name, calls] of Object.entries(expectedCalls)) {
      const container = mainContainer(objects(), name);
      const urls = (container.env ?? []).filter(
        (entry) => entry.name.endsWith("_SERVICE_URLS") || entry.name === "TELEMETRY_URL",
      );
      const expected = calls.map((callee) => ({
        name: callee === "telemetry" ? "TELEMETRY_URL" : serviceUrlsEnvName(callee as (typeof serviceNames)[number]),
        value: `http://${callee}:${portOf(callee)}/trpc`,
      }));
      expect(
        urls.map(({ name: key, value }) => ({ name: key, value })).sort((a, b) => a.name.localeCompare(b.name)),
        name,
      ).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
    }
  });

  it("reads every key from a Secret that is rendered, never from an inline value", () => {
    for (const object of objects().filter((candidate) => candidate.kind === "Deployment" || candidate.kind === "StatefulSet")) {
      const spec = specOf(object).template.spec;
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const entry of container.env ?? []) {
          if (/KEY|SECRET|TOKEN|PASSWORD/.test(entry.name) || (entry.name === "DATABASE_URL" && overlay === "production"))
            expect(entry.value, `${object.metadata.name}/${container.name} ${entry.name}`).toBeUndefined();
          if (entry.valueFrom?.secretKeyRef) find(objects(), "Secret", entry.valueFrom.secretKeyRef.name);
        }
        for (const source of container.envFrom ?? []) if (source.secretRef) find(objects(), "Secret", source.secretRef.name);
      }
    }
    // Each signer holds its own key; every service and telemetry check callers against every public key.
    for (const name of Object.keys(expectedWorkloads)) {
      const secret = mainContainer(objects(), name).envFrom?.[0]?.secretRef?.name;
      if (!secret) throw new Error(`${name} reads no key Secret`);
      if (name !== "telemetry") expect(secretData(objects(), secret, "SERVICE_SIGNING_KEY"), name).toBeDefined();
      if (name !== "storefront" && name !== "dashboard")
        expect(secretData(objects(), secret, "SERVICE_TRUSTED_KEYS"), name).toBeDefined();
      if (overlay === "production" && name !== "telemetry")
        expect(secretData(objects(), secret, "SERVICE_SIGNING_KEY"), name).toBe(deriveSigningKey(testRoot, name));
    }
  });

  it("lets each workload reach only what it calls, the span sink and DNS", () => {
    const pods = podsOf(objects());
    const sink = overlay === "production" ? "otel-collector" : "telemetry";
    for (const [name, calls] of Object.entries(expectedCalls)) {
      const expected = [
        ...calls.map((callee) => `${callee}:${portOf(callee)}/TCP`),
        ...(tracedWorkloads.includes(name) ? [`${sink}:${ports.telemetry}/TCP`] : []),
        ...(overlay === "production" && (serviceNames as readonly string[]).includes(name) ? [`${name}-postgres:5432/TCP`] : []),
        "kube-dns:53/TCP",
        "kube-dns:53/UDP",
      ];
      expect(allowed("Egress", podOf(pods, name), objects(), pods), name).toEqual([...new Set(expected)].sort());
    }
  });

  it("lets each workload be reached only by the callers the topology allows", () => {
    const pods = podsOf(objects());
    for (const name of Object.keys(expectedWorkloads)) {
      const port = `${portOf(name)}/TCP`;
      let callers = allowedCallers(name).filter((caller) => caller in expectedWorkloads);
      // Public: reached through an Ingress or a port-forward, from anywhere.
      if (name === "storefront" || name === "dashboard") callers = ["*"];
      // Every traced process sends it spans (directly, or through the Collector).
      if (name === "telemetry")
        callers = [...callers, ...tracedWorkloads, ...(overlay === "production" ? ["otel-collector"] : [])];
      expect(allowed("Ingress", podOf(pods, name), objects(), pods), name).toEqual(
        [...new Set(callers)].map((caller) => `${caller}:${port}`).sort(),
      );
    }
  });
});

describe("the local overlay", () => {
  const objects = () => renderedOverlay("local");

  it("runs one replica of each, with its SQLite file on its own volume, migrated before it starts", () => {
    for (const name of Object.keys(expectedWorkloads)) expect(specOf(find(objects(), "Deployment", name)).replicas, name).toBe(1);
    for (const name of serviceNames) {
      const spec = specOf(find(objects(), "Deployment", name));
      expect(envValue(mainContainer(objects(), name), "DATABASE_URL")?.value).toBe(`file:/data/${name}.db`);
      const claim = spec.template.spec.volumes?.find((volume) => volume.name === "data")?.persistentVolumeClaim?.claimName;
      expect(claim).toBe(`${name}-data`);
      find(objects(), "PersistentVolumeClaim", `${name}-data`);
      expect(spec.template.spec.initContainers?.map((container) => container.name)).toEqual(["migrate"]);
      // The migrations of the very version that is about to run.
      expect(spec.template.spec.initContainers?.[0]?.image).toBe(mainContainer(objects(), name).image);
      expect(spec.strategy?.type).toBe("Recreate");
    }
    expect(objects().filter((object) => object.kind === "HorizontalPodAutoscaler" || object.kind === "StatefulSet")).toEqual([]);
  });
});

describe("the production overlay", () => {
  const objects = () => renderedOverlay("production");
  const stateless = [...serviceNames, "storefront", "dashboard"];

  it("runs replicas of the stateless workloads under an autoscaler, with rolling updates", () => {
    const autoscaled = objects()
      .filter((object) => object.kind === "HorizontalPodAutoscaler")
      .map((object) => (object.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef);
    expect(autoscaled.map((target) => target.name).sort()).toEqual([...stateless].sort());
    expect(new Set(autoscaled.map((target) => target.kind))).toEqual(new Set(["Deployment"]));
    for (const name of stateless) expect(specOf(find(objects(), "Deployment", name)).replicas, name).toBeGreaterThanOrEqual(2);
    expect(specOf(find(objects(), "Deployment", "telemetry")).replicas).toBe(1);
    for (const object of objects().filter((candidate) => candidate.kind === "Deployment"))
      expect(specOf(object).strategy?.type, object.metadata.name).toBe("RollingUpdate");
  });

  it("covers every workload with a PodDisruptionBudget that selects its pods", () => {
    const pods = podsOf(objects());
    const budgets = objects().filter((object) => object.kind === "PodDisruptionBudget");
    for (const name of [...Object.keys(expectedWorkloads), "otel-collector"]) {
      const pod = podOf(pods, name);
      const covering = budgets.filter((budget) => {
        const selector = (budget.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
        return Object.entries(selector).every(([key, value]) => pod.labels[key] === value);
      });
      expect(covering.length, name).toBe(1);
    }
  });

  it("gives every service its own Postgres, reached through a postgres:// URL from a Secret", () => {
    for (const name of serviceNames) {
      find(objects(), "StatefulSet", `${name}-postgres`);
      const reference = envValue(mainContainer(objects(), name), "DATABASE_URL")?.valueFrom?.secretKeyRef;
      if (!reference) throw new Error(`${name} reads no DATABASE_URL from a Secret`);
      expect(secretData(objects(), reference.name, reference.key)).toMatch(
        new RegExp(`^postgres://${name}:[^@]+@${name}-postgres:5432/${name}$`),
      );
    }
  });

  it("sends every traced process's spans to the Collector, which forwards them to the telemetry service", () => {
    const otlp = find(objects(), "Service", "otlp").spec as { selector: Record<string, string> };
    const pods = podsOf(objects()).filter((pod) =>
      Object.entries(otlp.selector).every(([key, value]) => pod.labels[key] === value),
    );
    expect(pods.map((pod) => pod.name)).toEqual(["otel-collector"]);
    for (const name of tracedWorkloads)
      expect(envValue(mainContainer(objects(), name), "OTEL_EXPORTER_OTLP_ENDPOINT")?.value, name).toBe("http://otlp:4318");
    const config = (find(objects(), "ConfigMap", "otel-collector").data as Record<string, string>)["config.yaml"];
    expect(config).toContain("endpoint: http://telemetry:4318");
  });
});
