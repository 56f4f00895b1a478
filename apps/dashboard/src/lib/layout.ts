import dagre from "@dagrejs/dagre";
import type { NodeKind } from "~/telemetry/contract";

export interface LayoutNode {
  readonly id: string;
  readonly kind: NodeKind;
}
export interface LayoutEdge {
  readonly source: string;
  readonly target: string;
}
export interface Position {
  readonly x: number;
  readonly y: number;
}

export const nodeSize: Readonly<Record<NodeKind, { width: number; height: number }>> = {
  client: { width: 144, height: 60 },
  // Room for a row of replica chips (the lab) under the name and the numbers.
  service: { width: 184, height: 90 },
  database: { width: 132, height: 62 },
};

/** A string that is equal exactly when two maps have the same nodes and edges, in any order. */
export function layoutKey(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): string {
  const n = nodes.map((node) => `${node.kind}:${node.id}`).sort();
  const e = edges.map((edge) => `${edge.source}>${edge.target}`).sort();
  return `${n.join(",")}|${e.join(",")}`;
}

/**
 * Left-to-right positions (top-left corners, as React Flow wants them) from dagre. The input is
 * sorted first, so the layout depends on the set of nodes and edges, never on arrival order.
 * The longest-path ranker puts every sink in the last column: databases line up on the right,
 * the browser on the left, and the services in between by how deep they are called.
 */
export function computeLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, Position> {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: "LR", ranker: "longest-path", nodesep: 34, ranksep: 64, marginx: 24, marginy: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  const sortedNodes = [...nodes].sort((a, b) => a.id.localeCompare(b.id));
  const ids = new Set(sortedNodes.map((node) => node.id));
  for (const node of sortedNodes) graph.setNode(node.id, { ...nodeSize[node.kind] });
  const sortedEdges = [...edges]
    .filter((edge) => ids.has(edge.source) && ids.has(edge.target) && edge.source !== edge.target)
    .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  for (const edge of sortedEdges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);

  const positions = new Map<string, Position>();
  for (const node of sortedNodes) {
    const laid = graph.node(node.id) as { x: number; y: number };
    const { width, height } = nodeSize[node.kind];
    positions.set(node.id, { x: Math.round(laid.x - width / 2), y: Math.round(laid.y - height / 2) });
  }
  return positions;
}

const cache = new Map<string, Map<string, Position>>();

/** `computeLayout`, remembered per node/edge set: a poll that changes only numbers moves nothing. */
export function layoutFor(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, Position> {
  const key = layoutKey(nodes, edges);
  let positions = cache.get(key);
  if (!positions) {
    positions = computeLayout(nodes, edges);
    if (cache.size > 50) cache.clear();
    cache.set(key, positions);
  }
  return positions;
}
