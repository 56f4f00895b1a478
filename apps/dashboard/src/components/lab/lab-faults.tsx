"use client";

import type { FaultTarget, LabSnapshot } from "@microshop/lab";
import { serviceNames, type ServiceName } from "@microshop/topology";
import { useId, useState } from "react";
import { calleeFor, calleesOf, edgeCallers, faultsInForce, faultTargetLabel, type EdgeCaller } from "~/lib/fault-targets";
import { FaultForm } from "../panels/fault-form";
import { FaultList } from "../panels/fault-list";
import panels from "../panels/panels.module.css";
import { ClearFaultsButton } from "./clear-faults-button";
import styles from "./lab.module.css";

/**
 * Faults on any service or edge, from the lab tab: the only way to aim one in the monolith, where
 * the map draws a single node. Then every fault in force, each with its Clear, and Clear all.
 */
export function LabFaults({ snapshot }: { snapshot: LabSnapshot }) {
  const id = useId();
  const [kind, setKind] = useState<FaultTarget["kind"]>("service");
  const [service, setService] = useState<ServiceName>(serviceNames[0]);
  const [caller, setCaller] = useState<EdgeCaller>(edgeCallers[0] ?? "storefront");
  const [callee, setCallee] = useState<ServiceName>(() => calleeFor(caller, null));
  const target: FaultTarget = kind === "service" ? { kind, service } : { kind, caller, callee };
  const label = faultTargetLabel(target);
  const faults = faultsInForce(snapshot.faults);

  return (
    <section aria-label="Faults">
      <h3 className={panels.sectionTitle}>Add a fault</h3>
      <div className={styles.form}>
        <fieldset className={styles.fieldset}>
          <legend>Fault on</legend>
          {(
            [
              ["service", "A service"],
              ["edge", "An edge"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className={styles.check}>
              <input type="radio" name={`${id}-kind`} value={value} checked={kind === value} onChange={() => setKind(value)} />
              {text}
            </label>
          ))}
        </fieldset>
        {kind === "service" ? (
          <label className={styles.field}>
            Service
            <select value={service} onChange={(event) => setService(event.target.value as ServiceName)}>
              {serviceNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <div className={styles.row}>
            <label className={styles.field}>
              Caller
              <select
                value={caller}
                onChange={(event) => {
                  const next = event.target.value as EdgeCaller;
                  setCaller(next);
                  setCallee((current) => calleeFor(next, current));
                }}
              >
                {edgeCallers.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label className={styles.field}>
              Callee
              <select value={callee} onChange={(event) => setCallee(event.target.value as ServiceName)}>
                {calleesOf(caller).map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
      </div>
      <FaultForm key={label} target={target} label={label} />

      <h3 className={panels.sectionTitle}>Faults in force: {snapshot.faults.length}</h3>
      <FaultList faults={faults} label="the stack" />
      <ClearFaultsButton count={snapshot.faults.length} />
    </section>
  );
}
