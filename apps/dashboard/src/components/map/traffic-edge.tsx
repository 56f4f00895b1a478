import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo, useEffect, useRef } from "react";
import { edgeLabel } from "~/lib/format";
import type { TrafficFlowEdge } from "./flow-types";
import styles from "./map.module.css";
import { particlePathId, particles } from "./particle-engine";

/** Stroke width from traffic: a hairline when idle, up to 7 px for the busiest edge. */
export function edgeWidth(perSecond: number, maxPerSecond: number): number {
  if (perSecond <= 0) return 1.2;
  const scale = Math.log1p(perSecond) / Math.log1p(Math.max(maxPerSecond, 1));
  return 1.8 + 5.2 * Math.min(1, scale);
}

/**
 * A point `t` of the way along the edge's curve (React Flow's bezier between a right-hand source
 * and a left-hand target, control points half the horizontal distance out): where an edge's fault
 * badge sits, near the callee, so that it does not sit on a node the curve passes.
 */
export function pointAlong(
  sourceX: number,
  sourceY: number,
  targetX: number,
  targetY: number,
  t: number,
): { x: number; y: number } {
  const offset = 0.5 * Math.abs(targetX - sourceX);
  const [c1x, c1y, c2x, c2y] = [sourceX + offset, sourceY, targetX - offset, targetY];
  const u = 1 - t;
  return {
    x: u ** 3 * sourceX + 3 * u ** 2 * t * c1x + 3 * u * t ** 2 * c2x + t ** 3 * targetX,
    y: u ** 3 * sourceY + 3 * u ** 2 * t * c1y + 3 * u * t ** 2 * c2y + t ** 3 * targetY,
  };
}

/** An edge drawn as a bezier whose thickness is its traffic; its dots are added by the particle engine. */
export const TrafficEdge = memo(function TrafficEdge(props: EdgeProps<TrafficFlowEdge>) {
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const group = useRef<SVGGElement>(null);
  const pathId = particlePathId(id);
  useEffect(() => (group.current ? particles.attach(id, group.current, pathId) : undefined), [id, pathId]);

  const metrics = data?.edge.metrics ?? null;
  const badgeAt = pointAlong(sourceX, sourceY, targetX, targetY, 0.8);
  const perSecond = metrics?.perSecond ?? 0;
  const failing = metrics !== null && metrics.errorRate > 0.2;
  const highlight = data?.highlight ?? "none";
  return (
    <g
      className={styles.edge}
      data-testid={`edge-${source}-${target}`}
      data-requests={metrics?.requests ?? 0}
      data-highlight={highlight}
      data-selected={selected || undefined}
      data-failing={failing || undefined}
      data-idle={perSecond === 0 || undefined}
    >
      <BaseEdge
        id={id}
        path={path}
        interactionWidth={18}
        className={styles.edgePath}
        style={{ strokeWidth: edgeWidth(perSecond, data?.maxPerSecond ?? 1) }}
      />
      <path id={pathId} d={path} fill="none" stroke="none" />
      <g ref={group} />
      {data && data.faults.length > 0 && (
        <EdgeLabelRenderer>
          <div
            className={`${styles.edgeFault} nodrag nopan`}
            data-testid={`edge-fault-${source}-${target}`}
            style={{ transform: `translate(-50%, -50%) translate(${badgeAt.x}px, ${badgeAt.y}px)` }}
          >
            <span className="visually-hidden">
              fault on {source} to {target}:{" "}
            </span>
            {data.faults.map((fault) => fault.label).join(" · ")}
          </div>
        </EdgeLabelRenderer>
      )}
      {metrics && metrics.requests > 0 && data?.showLabel && (
        <EdgeLabelRenderer>
          <div
            className={`${styles.edgeLabel} nodrag nopan`}
            data-highlight={highlight}
            data-failing={failing || undefined}
            data-focus={selected || undefined}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {edgeLabel(metrics)}
          </div>
        </EdgeLabelRenderer>
      )}
    </g>
  );
});
