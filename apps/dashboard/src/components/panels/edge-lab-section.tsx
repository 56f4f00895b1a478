"use client";

import type { LabSnapshot } from "@microshop/lab";
import { asCallerName, asServiceName, faultsOnEdge } from "~/lib/lab-model";
import { FaultForm } from "./fault-form";
import { FaultList } from "./fault-list";
import panels from "./panels.module.css";

/** Faults on the calls of one caller to one callee: what the network between them does. */
export function EdgeLabSection(props: {
  source: string;
  target: string;
  snapshot: LabSnapshot | null;
  unavailable: string | null;
}) {
  const caller = asCallerName(props.source);
  const callee = asServiceName(props.target);
  if (!caller || !callee) return null;
  const label = `${props.source} → ${props.target}`;
  return (
    <>
      <h3 className={panels.sectionTitle}>Faults on this edge</h3>
      {props.snapshot ? (
        <>
          <FaultList faults={faultsOnEdge(props.snapshot.faults, caller, callee)} label={label} />
          <FaultForm target={{ kind: "edge", caller, callee }} label={label} />
        </>
      ) : (
        <p className={panels.hint}>{props.unavailable ?? "Loading the lab…"}</p>
      )}
    </>
  );
}
