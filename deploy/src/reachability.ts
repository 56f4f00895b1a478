/**
 * What rendered NetworkPolicies allow, worked out the way a cluster enforces them: a pod that no
 * policy selects for a direction is open in that direction; otherwise it may use exactly the union
 * of the rules of the policies that select it. Only what the manifests use is understood
 * (`matchLabels`, a namespace selector of `{}`); anything else is an error, never a guess.
 */
import type { KubernetesObject } from "./render";

export interface Pod {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Outside this namespace (cluster DNS). */
  readonly elsewhere?: boolean;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string }[];
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** Stands for "any address": a rule with no peers, or a pod no policy restricts. */
export const anywhere = "*";
export const clusterDns: Pod = { name: "kube-dns", labels: { "k8s-app": "kube-dns" }, elsewhere: true };

function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (selector.matchExpressions?.length) throw new Error("matchExpressions are not understood here");
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function peerPods(peer: Peer, pods: readonly Pod[]): string[] {
  if (peer.ipBlock) throw new Error("ipBlock peers are not understood here");
  if (peer.namespaceSelector && Object.keys(peer.namespaceSelector).length > 0)
    throw new Error("only an empty namespaceSelector (every namespace) is understood here");
  const candidates = peer.namespaceSelector ? pods : pods.filter((pod) => !pod.elsewhere);
  return candidates.filter((pod) => selects(peer.podSelector ?? {}, pod.labels)).map((pod) => pod.name);
}

/** The pods the workloads run: each Deployment's and StatefulSet's pod template, plus cluster DNS. */
export function podsOf(objects: readonly KubernetesObject[]): Pod[] {
  const pods = objects
    .filter((object) => object.kind === "Deployment" || object.kind === "StatefulSet")
    .map((object) => {
      const spec = object.spec as { template: { metadata: { labels: Record<string, string> } } };
      return { name: object.metadata.name, labels: spec.template.metadata.labels };
    });
  return [...pods, clusterDns];
}

/**
 * Every `peer:port/protocol` a pod may reach (egress) or be reached from (ingress, on any port it
 * serves), as a sorted list; `*` for a peer or port left open.
 */
export function allowed(
  direction: "Ingress" | "Egress",
  pod: Pod,
  objects: readonly KubernetesObject[],
  pods: readonly Pod[],
): string[] {
  const policies = objects
    .filter((object) => object.kind === "NetworkPolicy")
    .map((object) => object.spec as PolicySpec)
    .filter((spec) => selects(spec.podSelector, pod.labels) && (spec.policyTypes ?? ["Ingress"]).includes(direction));
  if (policies.length === 0) return [`${anywhere}:${anywhere}`];
  const result = new Set<string>();
  for (const spec of policies) {
    for (const rule of (direction === "Ingress" ? spec.ingress : spec.egress) ?? []) {
      const peers = direction === "Ingress" ? rule.from : rule.to;
      const names = peers && peers.length > 0 ? peers.flatMap((peer) => peerPods(peer, pods)) : [anywhere];
      const ports =
        rule.ports && rule.ports.length > 0
          ? rule.ports.map((port) => `${port.port ?? anywhere}/${port.protocol ?? "TCP"}`)
          : [anywhere];
      for (const name of names) for (const port of ports) result.add(`${name}:${port}`);
    }
  }
  return [...result].sort();
}
