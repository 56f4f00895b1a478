import type { GraphEdge, Metrics, NodeKind, ServiceGraph } from "~/telemetry/contract";

/** What the map shows for a node's health. */
export type NodeStatus = "up" | "down" | "degraded" | "starting" | "unknown";
export type StackMode = "microservices" | "monolith";

/** Above this error rate over the window, a running node is drawn as degraded. */
export const degradedErrorRate = 0.2;

/** The part of the supervisor's ProcessInfo the map needs. */
export interface ProcessView {
  readonly name: string;
  readonly service: string;
  readonly kind: string;
  readonly state: string;
}

/** The part of packages/topology the map needs. */
export interface TopologyView {
  readonly services: Readonly<Record<string, { readonly description: string; readonly dependsOn: readonly string[] }>>;
  /** Services the storefront's BFF calls directly. */
  readonly storefrontCalls: readonly string[];
}

export interface MapNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly status: NodeStatus;
  readonly metrics: Metrics | null;
  /** One sentence for the side panel; null for services the topology does not know. */
  readonly description: string | null;
  /** The supervisor process that Stop/Start/Restart act on; null when there is none. */
  readonly processName: string | null;
  readonly processState: string | null;
}

export interface MapEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Traffic over the window; null when nothing went over it. */
  readonly metrics: Metrics | null;
}

export interface MergeInput {
  readonly mode: StackMode;
  readonly topology: TopologyView;
  /** null: the supervisor did not answer, so process states are unknown. */
  readonly processes: readonly ProcessView[] | null;
  /** null: the telemetry service did not answer. */
  readonly graph: Pick<ServiceGraph, "nodes" | "edges"> | null;
}

export const browserId = "browser";
export const storefrontId = "storefront";
export const monolithId = "monolith";
export const databaseSystem = "sqlite";

export const databaseOf = (service: string): string => `${service}/${databaseSystem}`;
export const edgeId = (source: string, target: string): string => `${source}->${target}`;

/** Observers of the system, not part of the shop: never drawn. */
const hiddenProcessKinds = new Set(["telemetry", "dashboard"]);

const descriptions: Readonly<Record<string, string>> = {
  [browserId]: "The shopper's browser: every click starts a trace here.",
  [storefrontId]:
    "The Next.js shop and its backend-for-frontend (BFF): pages, and the only door from the browser to the services.",
  [monolithId]: "Every service's code in one process: calls between them are function calls, not network hops.",
};

/** The nodes and edges the stack is built from, before any traffic: the map at rest. */
function declaredShape(mode: StackMode, topology: TopologyView, processes: readonly ProcessView[] | null) {
  const nodes = new Map<string, NodeKind>([
    [browserId, "client"],
    [storefrontId, "service"],
  ]);
  const edges: Array<[string, string]> = [[browserId, storefrontId]];
  if (mode === "monolith") {
    nodes.set(monolithId, "service").set(databaseOf(monolithId), "database");
    edges.push([storefrontId, monolithId], [monolithId, databaseOf(monolithId)]);
    return { nodes, edges };
  }
  const serviceIds = new Set(Object.keys(topology.services));
  for (const process of processes ?? []) {
    if (process.kind === "service") serviceIds.add(process.service);
  }
  for (const id of serviceIds) {
    nodes.set(id, "service").set(databaseOf(id), "database");
    edges.push([id, databaseOf(id)]);
    for (const dependency of topology.services[id]?.dependsOn ?? []) edges.push([id, dependency]);
  }
  for (const id of topology.storefrontCalls) edges.push([storefrontId, id]);
  return { nodes, edges };
}

function statusOfProcesses(states: readonly string[]): NodeStatus {
  if (states.length === 0) return "unknown";
  if (states.includes("ready")) return "up";
  if (states.includes("starting")) return "starting";
  return "down";
}

/** A node's traffic when the telemetry graph gives none: what came in over its edges. */
export function incomingMetrics(id: string, edges: readonly GraphEdge[]): Metrics | null {
  const incoming = edges.filter((edge) => edge.target === id && edge.requests > 0);
  if (incoming.length === 0) return null;
  const requests = incoming.reduce((sum, edge) => sum + edge.requests, 0);
  return {
    requests,
    perSecond: incoming.reduce((sum, edge) => sum + edge.perSecond, 0),
    errorRate: incoming.reduce((sum, edge) => sum + edge.errorRate * edge.requests, 0) / requests,
    // Exact percentiles cannot be merged; the slowest caller's is the honest upper bound.
    p50Ms: Math.max(...incoming.map((edge) => edge.p50Ms)),
    p95Ms: Math.max(...incoming.map((edge) => edge.p95Ms)),
    p99Ms: Math.max(...incoming.map((edge) => edge.p99Ms)),
  };
}

function toMetrics(edge: GraphEdge): Metrics {
  const { requests, perSecond, errorRate, p50Ms, p95Ms, p99Ms } = edge;
  return { requests, perSecond, errorRate, p50Ms, p95Ms, p99Ms };
}

/**
 * The map: the declared stack (topology + supervisor processes, or the monolith's four boxes)
 * merged with whatever the telemetry graph saw, so an unknown OpenTelemetry service shows up too.
 * Status comes from the supervisor's process state, and a running node whose error rate is over
 * 20 % over the window is degraded. Output is sorted, so equal inputs give equal maps.
 */
export function buildMap(input: MergeInput): { nodes: MapNode[]; edges: MapEdge[] } {
  const { mode, topology, processes, graph } = input;
  const shape = declaredShape(mode, topology, processes);
  const kinds = new Map(shape.nodes);
  for (const node of graph?.nodes ?? []) if (!kinds.has(node.id)) kinds.set(node.id, node.kind);
  const graphEdges = graph?.edges ?? [];
  for (const edge of graphEdges) {
    for (const id of [edge.source, edge.target]) {
      if (!kinds.has(id)) kinds.set(id, id.includes("/") ? "database" : "service");
    }
  }

  const graphMetrics = new Map((graph?.nodes ?? []).map((node) => [node.id, node.metrics]));
  const visibleProcesses = (processes ?? []).filter((process) => !hiddenProcessKinds.has(process.kind));
  const processesOf = (id: string) => visibleProcesses.filter((process) => process.service === id || process.name === id);

  const serviceStatus = (id: string, metrics: Metrics | null): NodeStatus => {
    if (processes === null) return "unknown";
    const status = statusOfProcesses(processesOf(id).map((process) => process.state));
    if (status === "up" && metrics && metrics.requests > 0 && metrics.errorRate > degradedErrorRate) return "degraded";
    return status;
  };

  const nodes: MapNode[] = [...kinds.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, kind]) => {
      const metrics = graphMetrics.get(id) ?? incomingMetrics(id, graphEdges);
      const owner = kind === "database" ? id.slice(0, id.indexOf("/")) : id;
      const ownProcess = kind === "database" ? undefined : processesOf(id)[0];
      let status: NodeStatus;
      if (kind === "client") status = "up";
      else if (kind === "database") {
        const ownerStatus = serviceStatus(owner, null);
        // An embedded SQLite file lives and dies with the process that opens it.
        status = ownerStatus === "starting" ? "starting" : ownerStatus;
      } else status = serviceStatus(id, metrics);
      return {
        id,
        kind,
        status,
        metrics,
        description:
          kind === "database"
            ? `${owner}'s own SQLite database: no other service reads its tables.`
            : (topology.services[id]?.description ?? descriptions[id] ?? null),
        processName: ownProcess?.name ?? null,
        processState: ownProcess?.state ?? null,
      };
    });

  const edges = new Map<string, MapEdge>();
  for (const [source, target] of shape.edges)
    edges.set(edgeId(source, target), { id: edgeId(source, target), source, target, metrics: null });
  for (const edge of graphEdges) {
    edges.set(edgeId(edge.source, edge.target), {
      id: edgeId(edge.source, edge.target),
      source: edge.source,
      target: edge.target,
      metrics: toMetrics(edge),
    });
  }
  return { nodes, edges: [...edges.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}
