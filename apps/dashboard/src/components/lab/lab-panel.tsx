"use client";

import type { LabSnapshot } from "@microshop/lab";
import panels from "../panels/panels.module.css";
import { LabFaults } from "./lab-faults";
import styles from "./lab.module.css";
import { LoadControls } from "./load-controls";
import { ScenarioList } from "./scenario-list";

/** The Lab tab: the load generator, the scenarios, and faults on any service or edge (in either mode). */
export function LabPanel({ snapshot, unavailable }: { snapshot: LabSnapshot | null; unavailable: string | null }) {
  return (
    <div className={styles.labPanel} data-testid="lab-panel">
      <h2 className={styles.labTitle}>The lab</h2>
      <p className={panels.hint}>
        Run experiments on the live stack: load, scenarios and faults here; replicas and deploys from a service&apos;s panel.
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
          <LabFaults snapshot={snapshot} />
        </>
      )}
    </div>
  );
}
