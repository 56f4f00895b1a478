"use client";

import { createContext, useContext } from "react";
import type { MapNode } from "~/lib/map-model";
import type { Highlight } from "./flow-types";

export interface MapNodeState {
  readonly nodes: ReadonlyMap<string, MapNode>;
  readonly selectedId: string | null;
  /** The open trace's nodes; null when no trace is open. */
  readonly pathNodes: ReadonlySet<string> | null;
}

/**
 * What the node boxes show, handed down beside React Flow rather than through its node objects:
 * those then only change when the layout does, so a poll never makes React Flow re-measure the
 * nodes (which unmounts their edges for a frame, and with them the travelling dots).
 */
export const MapNodeContext = createContext<MapNodeState>({ nodes: new Map(), selectedId: null, pathNodes: null });

export function useMapNode(id: string): { node: MapNode | undefined; highlight: Highlight; selected: boolean } {
  const state = useContext(MapNodeContext);
  const highlight: Highlight = state.pathNodes === null ? "none" : state.pathNodes.has(id) ? "on" : "dim";
  return { node: state.nodes.get(id), highlight, selected: state.selectedId === id };
}
