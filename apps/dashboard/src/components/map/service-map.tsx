"use client";

import { Background, BackgroundVariant, ReactFlow, useReactFlow, type EdgeTypes, type NodeTypes } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef, useState } from "react";
import { layoutFor, layoutKey, nodeSize } from "~/lib/layout";
import { faultsOnEdge, type ServiceLab } from "~/lib/lab-model";
import type { MapEdge, MapNode } from "~/lib/map-model";
import type { Fault } from "@microshop/lab";
import { DatabaseNode } from "./database-node";
import { MapNodeContext } from "./map-context";
import type { FlowNode, Highlight, TrafficFlowEdge } from "./flow-types";
import styles from "./map.module.css";
import { ServiceNode } from "./service-node";
import { TrafficEdge } from "./traffic-edge";

// Registered once, outside any component, so React Flow never sees new types and remounts.
const nodeTypes: NodeTypes = { service: ServiceNode, client: ServiceNode, database: DatabaseNode };
const edgeTypes: EdgeTypes = { traffic: TrafficEdge };

export interface MapSelection {
  readonly nodeId: string | null;
  readonly edgeId: string | null;
}

export interface ServiceMapProps {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  readonly selection: MapSelection;
  /** The open trace's path; null when no trace is open. */
  readonly path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | null;
  /** Each service's part of the lab (replicas, deploy, faults); empty without one. */
  readonly labs: ReadonlyMap<string, ServiceLab>;
  readonly labOnline: boolean;
  readonly faults: readonly Fault[];
  readonly onSelectNode: (id: string) => void;
  readonly onSelectEdge: (edge: MapEdge) => void;
  readonly onClear: () => void;
}

const highlightOf = (inPath: boolean | null): Highlight => (inPath === null ? "none" : inPath ? "on" : "dim");

/** Refits the view when the set of nodes changes or the map's box is resized (a drawer opened). */
function FitOnChange({ fitKey, container }: { fitKey: string; container: React.RefObject<HTMLDivElement | null> }) {
  const flow = useReactFlow();
  useEffect(() => {
    const fit = () => void flow.fitView({ padding: 0.08, duration: 250 });
    const timer = setTimeout(fit, 30);
    const element = container.current;
    if (!element) return () => clearTimeout(timer);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fit);
    });
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [flow, fitKey, container]);
  return null;
}

/** The live service map: laid out by dagre from the node/edge set, read-only, clickable. */
export function ServiceMap(props: ServiceMapProps) {
  const { nodes, edges, selection, path, labs, labOnline, faults, onSelectNode, onSelectEdge, onClear } = props;
  const container = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const focus = hovered ?? selection.nodeId;
  const key = layoutKey(nodes, edges);
  const positions = useMemo(() => layoutFor(nodes, edges), [key]); // eslint-disable-line react-hooks/exhaustive-deps

  // Node objects change only with the layout; what they show travels through MapNodeContext.
  const flowNodes = useMemo<FlowNode[]>(
    () =>
      nodes.map((node) => ({
        id: node.id,
        type: node.kind,
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        data: { id: node.id },
        width: nodeSize[node.kind].width,
        height: nodeSize[node.kind].height,
        draggable: false,
        connectable: false,
      })),
    [key], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const nodeState = useMemo(
    () => ({
      nodes: new Map(nodes.map((node) => [node.id, node])),
      selectedId: selection.nodeId,
      pathNodes: path?.nodes ?? null,
      labs,
      labOnline,
    }),
    [nodes, selection.nodeId, path, labs, labOnline],
  );

  const flowEdges = useMemo<TrafficFlowEdge[]>(() => {
    const maxPerSecond = Math.max(1, ...edges.map((edge) => edge.metrics?.perSecond ?? 0));
    return edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: "traffic",
      selected: selection.edgeId === edge.id,
      data: {
        edge,
        highlight: highlightOf(path ? path.edges.has(edge.id) : null),
        maxPerSecond,
        showLabel:
          edge.source === focus ||
          edge.target === focus ||
          edge.id === hovered ||
          selection.edgeId === edge.id ||
          (path?.edges.has(edge.id) ?? false),
        faults: faultsOnEdge(faults, edge.source, edge.target),
      },
    }));
  }, [edges, path, selection.edgeId, focus, hovered, faults]);

  return (
    <div className={styles.map} ref={container} data-testid="service-map">
      <MapNodeContext value={nodeState}>
        <ReactFlow<FlowNode, TrafficFlowEdge>
          nodes={flowNodes}
          edges={flowEdges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          colorMode="dark"
          fitView
          fitViewOptions={{ padding: 0.08 }}
          minZoom={0.3}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          proOptions={{ hideAttribution: true }}
          onNodeClick={(_, node) => onSelectNode(node.id)}
          onEdgeClick={(_, edge) => {
            const data = edge.data;
            if (data) onSelectEdge(data.edge);
          }}
          onPaneClick={onClear}
          onNodeMouseEnter={(_, node) => setHovered(node.id)}
          onNodeMouseLeave={() => setHovered(null)}
          onEdgeMouseEnter={(_, edge) => setHovered(edge.id)}
          onEdgeMouseLeave={() => setHovered(null)}
        >
          <Background variant={BackgroundVariant.Dots} gap={22} size={1} color="#26304a" />
          <FitOnChange fitKey={key} container={container} />
        </ReactFlow>
      </MapNodeContext>
    </div>
  );
}
