"use client";

import type { LabSnapshot } from "@microshop/lab";
import panels from "../panels/panels.module.css";
import { ClearFaultsButton } from "./clear-faults-button";
import styles from "./lab.module.css";
import { LoadControls } from "./load-controls";
import { ScenarioList } from "./scenario-list";

/** The Lab tab: the load generator, the scenarios, and one button that clears every fault. */
export function LabPanel({ snapshot, unavailable }: { snapshot: LabSnapshot | null; unavailable: string | null }) {
  return (
    <div className={styles.labPanel} data-testid="lab-panel">
      <h2 className={styles.labTitle}>The lab</h2>
      <p className={panels.hint}>
        Run experiments on the live stack: load, scenarios, and (from a service or an edge) replicas, deploys and faults.
      </p>
      {!snapshot ? (
        <p className={panels.hint} role="status">
          {unavailable ?? "Loading the lab…"}
        </p>
      ) : (
        <>
          <h3 className={panels.sectionTitle}>Load generator</h3>
          <LoadControls status={snapshot.load} />
          <h3 className={panels.sectionTitle}>Scenarios</h3>
          <ScenarioList snapshot={snapshot} />
          <h3 className={panels.sectionTitle}>Faults in force: {snapshot.faults.length}</h3>
          <ClearFaultsButton count={snapshot.faults.length} />
        </>
      )}
    </div>
  );
}
