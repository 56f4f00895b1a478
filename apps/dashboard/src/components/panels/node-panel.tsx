"use client";

import { useQuery } from "@tanstack/react-query";
import type { LabSnapshot } from "@microshop/lab";
import { errorMessage } from "~/lib/error-message";
import { formatClock, formatMs, formatPercent } from "~/lib/format";
import { asServiceName, type ServiceLab } from "~/lib/lab-model";
import type { MapNode } from "~/lib/map-model";
import { useTRPC } from "~/trpc/react";
import { statusLabel } from "../map/status";
import { MetricGrid } from "./metric-grid";
import styles from "./panels.module.css";
import { ProcessControls } from "./process-controls";
import { ServiceLabSection } from "./service-lab-section";

export interface NodePanelProps {
  readonly node: MapNode;
  readonly windowSeconds: number;
  readonly supervisorOnline: boolean;
  /** The lab's view of this node (its replicas, deploys, faults); null when it has none. */
  readonly lab: ServiceLab | null;
  readonly snapshot: LabSnapshot | null;
  readonly labUnavailable: string | null;
  /** False leaves the load generator's calls out of the numbers. */
  readonly includeSynthetic: boolean;
  readonly onOpenTrace: (traceId: string) => void;
  readonly onClose: () => void;
}

/** What a node does, how it is doing, its operations and its latest errors, and its controls. */
export function NodePanel(props: NodePanelProps) {
  const { node, windowSeconds, supervisorOnline, onOpenTrace, onClose } = props;
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.inspect.node.queryOptions(
      { id: node.id, windowSeconds, includeSynthetic: props.includeSynthetic },
      { refetchInterval: 2_000 },
    ),
  );
  const service = asServiceName(node.id);
  const data = detail.data;
  return (
    <section className={styles.panel} aria-label={`${node.id} details`} data-testid="node-panel">
      <header className={styles.panelHeader}>
        <div>
          <div className={styles.kicker}>
            {node.kind === "database" ? "database" : node.kind === "client" ? "client" : "service"}
          </div>
          <h2 className={styles.panelTitle}>{node.id}</h2>
        </div>
        <span className={styles.statusPill} data-status={node.status}>
          {statusLabel[node.status]}
        </span>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>

      {node.description && <p className={styles.description}>{node.description}</p>}
      {node.processName && (
        <p className={styles.processLine}>
          process <code>{node.processName}</code> · {node.processState ?? "unknown"}
        </p>
      )}
      <ProcessControls node={node} supervisorOnline={supervisorOnline} />
      {service && (
        <ServiceLabSection service={service} lab={props.lab} snapshot={props.snapshot} unavailable={props.labUnavailable} />
      )}

      <h3 className={styles.sectionTitle}>Last {windowSeconds} s</h3>
      <MetricGrid metrics={data?.metrics ?? node.metrics} windowSeconds={windowSeconds} />

      <h3 className={styles.sectionTitle}>Operations</h3>
      {detail.error ? (
        <p className={styles.error}>{errorMessage(detail.error)}</p>
      ) : data && data.operations.length > 0 ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>procedure</th>
              <th>req</th>
              <th>errors</th>
              <th>p95</th>
            </tr>
          </thead>
          <tbody>
            {data.operations.map((operation) => (
              <tr key={operation.name}>
                <td className={styles.mono} title={operation.name}>
                  {operation.name}
                </td>
                <td>{operation.requests}</td>
                <td data-bad={operation.errorRate > 0 || undefined}>{formatPercent(operation.errorRate)}</td>
                <td>{formatMs(operation.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className={styles.empty}>{detail.isPending ? "Loading…" : "No calls into it yet."}</p>
      )}

      <h3 className={styles.sectionTitle}>Recent errors</h3>
      {data && data.recentErrors.length > 0 ? (
        <ul className={styles.list}>
          {data.recentErrors.map((error) => (
            <li key={error.spanId}>
              <button type="button" className={styles.rowButton} onClick={() => onOpenTrace(error.traceId)}>
                <span className="visually-hidden">Open the trace of </span>
                <span className={styles.errorDot} aria-hidden />
                <span className={styles.rowMain}>
                  <span className={styles.mono}>{error.name}</span>
                  <span className={styles.rowSub}>{error.message}</span>
                </span>
                <span className={styles.rowTime}>{formatClock(error.startMs)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.empty}>None. </p>
      )}
    </section>
  );
}
