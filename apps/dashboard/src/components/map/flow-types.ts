import type { Edge, Node } from "@xyflow/react";
import type { FaultBadge } from "~/lib/lab-model";
import type { MapEdge } from "~/lib/map-model";

/** How a node or edge relates to the open trace: part of its path, outside it, or no trace open. */
export type Highlight = "on" | "dim" | "none";

/** Only the id: what a node shows comes from MapNodeContext, so node objects stay stable. */
export type MapNodeData = { id: string };
/** `showLabel`: the edge touches what the learner is looking at (hovered, selected, the open trace). */
export type MapEdgeData = {
  edge: MapEdge;
  highlight: Highlight;
  maxPerSecond: number;
  showLabel: boolean;
  /** The lab's faults on this caller → callee. */
  faults: readonly FaultBadge[];
};

export type ServiceFlowNode = Node<MapNodeData, "service" | "client">;
export type DatabaseFlowNode = Node<MapNodeData, "database">;
export type TrafficFlowEdge = Edge<MapEdgeData, "traffic">;
export type FlowNode = ServiceFlowNode | DatabaseFlowNode;
