import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { formatMs, formatRate } from "~/lib/format";
import { asServiceName } from "~/lib/lab-model";
import type { ServiceFlowNode } from "./flow-types";
import { NodeIcon } from "./node-icon";
import { useMapNode } from "./map-context";
import styles from "./map.module.css";
import { ReplicaChips } from "./replica-chips";
import { serviceColor, statusLabel } from "./status";

/** A service (or the browser): name, status dot, req/s and p95 over the window. */
export const ServiceNode = memo(function ServiceNode({ data }: NodeProps<ServiceFlowNode>) {
  const { node, highlight, selected, lab, labOnline } = useMapNode(data.id);
  if (!node) return null;
  const metrics = node.metrics;
  const badges = lab
    ? [
        ...(lab.deployBadge ? [{ id: "deploy", label: lab.deployBadge, kind: "deploy" }] : []),
        ...lab.faults.map((fault) => ({ ...fault, kind: "fault" })),
      ]
    : [];
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
      {badges.length > 0 && (
        <div className={styles.badges}>
          {badges.slice(0, 2).map((badge) => (
            <span key={badge.id} className={styles.badge} data-kind={badge.kind}>
              {badge.kind === "fault" && <span className="visually-hidden">fault: </span>}
              {badge.label}
            </span>
          ))}
          {badges.length > 2 && <span className={styles.badge}>+{badges.length - 2}</span>}
        </div>
      )}
      <div className={styles.nodeTitle}>
        <span className={styles.nodeIcon}>
          <NodeIcon id={node.id} kind={node.kind} />
        </span>
        <span className={styles.nodeName}>{node.id}</span>
        {lab?.version && <span className={styles.nodeVersion}>{lab.version}</span>}
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
      {lab && (lab.chips.length > 0 || labOnline) && (
        <ReplicaChips service={asServiceName(node.id)} lab={lab} online={labOnline} />
      )}
      <Handle type="source" position={Position.Right} className={styles.handle} isConnectable={false} />
    </div>
  );
});
