/**
 * Renders an overlay the way a cluster would receive it (`kubectl kustomize`, offline) and checks
 * every object against the Kubernetes schemas (`kubernetes-models`).
 */
import { execFileSync } from "node:child_process";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { parseAllDocuments } from "yaml";

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

const kubectl = process.env.KUBECTL ?? "kubectl";

export const kubectlMissing = `kubectl is needed to render the overlays (\`kubectl kustomize\`, offline, no cluster) and was not found${
  process.env.KUBECTL ? ` at KUBECTL=${process.env.KUBECTL}` : " on PATH"
}: install it (see deploy/README.md, "Tests") or point KUBECTL at one`;

/** The overlay's objects as `kubectl kustomize` prints them; throws with kubectl's own message when it refuses. */
export function renderOverlay(dir: string): KubernetesObject[] {
  let output: string;
  try {
    output = execFileSync(kubectl, ["kustomize", dir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(kubectlMissing);
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`kubectl kustomize ${dir} failed: ${stderr.trim()}`);
  }
  return parseAllDocuments(output).map((document) => unwrapSecretData(document.toJS() as KubernetesObject));
}

/** kubectl wraps long base64 values over lines, which the API server's decoder skips; so do we. */
function unwrapSecretData(object: KubernetesObject): KubernetesObject {
  if (object.kind !== "Secret" || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [key, value.replace(/\s+/g, "")]),
  );
  return { ...object, data };
}

// Every kind the overlays may contain; another kind is an error until it is added here and validated.
const models: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Namespace": Namespace,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/Secret": Secret,
  "v1/Service": Service,
};

/** Validates one object against its schema; throws naming the object and what is wrong. */
export function validateObject(object: KubernetesObject): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = models[key];
  if (!Model) throw new Error(`${key} ${object.metadata.name}: no schema known for this kind (add it to render.ts)`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${key} ${object.metadata.name} is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}
