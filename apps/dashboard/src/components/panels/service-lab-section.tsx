"use client";

import type { LabSnapshot } from "@microshop/lab";
import type { ServiceName } from "@microshop/topology";
import type { ServiceLab } from "~/lib/lab-model";
import { formatRate } from "~/lib/format";
import styles from "../lab/lab.module.css";
import { DeployForm } from "./deploy-form";
import { DeploymentHistory } from "./deployment-history";
import { DeploymentProgress } from "./deployment-progress";
import { FaultForm } from "./fault-form";
import { FaultList } from "./fault-list";
import panels from "./panels.module.css";
import { ScaleStepper } from "./scale-stepper";

export interface ServiceLabSectionProps {
  readonly service: ServiceName;
  readonly lab: ServiceLab | null;
  readonly snapshot: LabSnapshot | null;
  /** Why there is no snapshot (no control plane, or it does not answer). */
  readonly unavailable: string | null;
}

/** A service's part of the lab in its side panel: replicas, deploys, and faults. */
export function ServiceLabSection({ service, lab, snapshot, unavailable }: ServiceLabSectionProps) {
  if (!snapshot || !lab) {
    return (
      <>
        <h3 className={panels.sectionTitle}>Lab</h3>
        <p className={panels.hint}>{unavailable ?? "Loading the lab…"}</p>
      </>
    );
  }
  const view = snapshot.services.find((candidate) => candidate.service === service);
  const deployment = view?.deployment;
  const running = deployment && (deployment.state === "rolling" || deployment.state === "canary") ? deployment : null;
  const own = snapshot.deployments.filter((candidate) => candidate.service === service);
  const monolith = snapshot.mode === "monolith";
  return (
    <>
      <h3 className={panels.sectionTitle}>Replicas</h3>
      <ScaleStepper service={service} lab={lab} />
      {lab.chips.length > 0 && (
        <dl className={styles.facts}>
          {lab.chips.map((chip) => (
            <div key={chip.name} style={{ display: "contents" }}>
              <dt>{chip.name}</dt>
              <dd>
                {chip.version ?? "?"} · {chip.state} · {formatRate(chip.perSecond)} req/s
                {chip.weight !== null ? ` · ${chip.weight} % of calls` : ""}
              </dd>
            </div>
          ))}
        </dl>
      )}

      <h3 className={panels.sectionTitle}>{running ? "Deploying" : "Deploy a new version"}</h3>
      {running ? (
        <DeploymentProgress service={service} deployment={running} />
      ) : (
        <DeployForm
          key={lab.version ?? "none"}
          service={service}
          current={lab.version ?? "1.0.0"}
          disabledReason={
            monolith ? "In the monolith every service is deployed with it: start the stack as microservices." : null
          }
        />
      )}
      <h3 className={panels.sectionTitle}>Last deploys</h3>
      <DeploymentHistory deployments={own} />

      <h3 className={panels.sectionTitle}>Faults on {service}</h3>
      <FaultList faults={lab.faults} label={service} />
      <FaultForm target={{ kind: "service", service }} label={service} />
    </>
  );
}
