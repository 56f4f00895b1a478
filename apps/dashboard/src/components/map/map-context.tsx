"use client";

import { createContext, useContext } from "react";
import type { ServiceLab } from "~/lib/lab-model";
import type { MapNode } from "~/lib/map-model";
import type { Highlight } from "./flow-types";

export interface MapNodeState {
  readonly nodes: ReadonlyMap<string, MapNode>;
  readonly selectedId: string | null;
  /** The open trace's nodes; null when no trace is open. */
  readonly pathNodes: ReadonlySet<string> | null;
  /** Each service's replicas, deploy and faults; empty without a lab. */
  readonly labs: ReadonlyMap<string, ServiceLab>;
  /** The control plane answers: + and − are offered. */
  readonly labOnline: boolean;
}

/**
 * What the node boxes show, handed down beside React Flow rather than through its node objects:
 * those then only change when the layout does, so a poll never makes React Flow re-measure the
 * nodes (which unmounts their edges for a frame, and with them the travelling dots).
 */
export const MapNodeContext = createContext<MapNodeState>({
  nodes: new Map(),
  selectedId: null,
  pathNodes: null,
  labs: new Map(),
  labOnline: false,
});

export function useMapNode(id: string): {
  node: MapNode | undefined;
  highlight: Highlight;
  selected: boolean;
  lab: ServiceLab | undefined;
  labOnline: boolean;
} {
  const state = useContext(MapNodeContext);
  const highlight: Highlight = state.pathNodes === null ? "none" : state.pathNodes.has(id) ? "on" : "dim";
  return {
    node: state.nodes.get(id),
    highlight,
    selected: state.selectedId === id,
    lab: state.labs.get(id),
    labOnline: state.labOnline,
  };
}
