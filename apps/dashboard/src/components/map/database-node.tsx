import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { formatRate } from "~/lib/format";
import type { DatabaseFlowNode } from "./flow-types";
import { useMapNode } from "./map-context";
import styles from "./map.module.css";
import { serviceColor, statusLabel } from "./status";

/** A service's own database, drawn as a cylinder. */
export const DatabaseNode = memo(function DatabaseNode({ data }: NodeProps<DatabaseFlowNode>) {
  const { node, highlight, selected } = useMapNode(data.id);
  if (!node) return null;
  const [owner, system] = node.id.split("/");
  return (
    <div
      className={styles.databaseNode}
      data-testid={`service-node-${node.id}`}
      data-status={node.status}
      data-kind="database"
      data-highlight={highlight}
      data-selected={selected || undefined}
      style={{ "--accent": serviceColor(node.id) } as React.CSSProperties}
      title={`${node.id}: ${statusLabel[node.status]}`}
    >
      <Handle type="target" position={Position.Left} className={styles.handle} isConnectable={false} />
      <svg className={styles.cylinder} viewBox="0 0 132 62" preserveAspectRatio="none" aria-hidden>
        <path d="M2 10 v42 a64 8 0 0 0 128 0 v-42" />
        <ellipse cx="66" cy="10" rx="64" ry="8" />
      </svg>
      <div className={styles.dbLabel}>
        <span className={styles.dbOwner}>{owner}</span>
        <span className={styles.dbSystem}>
          {system}
          {node.metrics && node.metrics.requests > 0 ? ` · ${formatRate(node.metrics.perSecond)} q/s` : ""}
        </span>
      </div>
      <span
        className={`${styles.statusDot} ${styles.dbDot}`}
        data-status={node.status}
        role="img"
        aria-label={statusLabel[node.status]}
      />
    </div>
  );
});
