import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { formatMs, formatRate } from "~/lib/format";
import type { ServiceFlowNode } from "./flow-types";
import { NodeIcon } from "./node-icon";
import { useMapNode } from "./map-context";
import styles from "./map.module.css";
import { serviceColor, statusLabel } from "./status";

/** A service (or the browser): name, status dot, req/s and p95 over the window. */
export const ServiceNode = memo(function ServiceNode({ data }: NodeProps<ServiceFlowNode>) {
  const { node, highlight, selected } = useMapNode(data.id);
  if (!node) return null;
  const metrics = node.metrics;
  return (
    <div
      className={styles.serviceNode}
      data-testid={`service-node-${node.id}`}
      data-status={node.status}
      data-kind={node.kind}
      data-highlight={highlight}
      data-selected={selected || undefined}
      style={{ "--accent": serviceColor(node.id) } as React.CSSProperties}
      title={`${node.id}: ${statusLabel[node.status]}`}
    >
      <Handle type="target" position={Position.Left} className={styles.handle} isConnectable={false} />
      <div className={styles.nodeTitle}>
        <span className={styles.nodeIcon}>
          <NodeIcon id={node.id} kind={node.kind} />
        </span>
        <span className={styles.nodeName}>{node.id}</span>
        <span className={styles.statusDot} data-status={node.status} role="img" aria-label={statusLabel[node.status]} />
      </div>
      <div className={styles.nodeStats}>
        {metrics && metrics.requests > 0 ? (
          <>
            <span>
              <b>{formatRate(metrics.perSecond)}</b> req/s
            </span>
            <span>
              p95 <b>{formatMs(metrics.p95Ms)}</b>
            </span>
          </>
        ) : (
          <span className={styles.quiet}>
            {node.kind === "client" ? "shoppers" : node.status === "down" ? "not running" : "idle"}
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Right} className={styles.handle} isConnectable={false} />
    </div>
  );
});
