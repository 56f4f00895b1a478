import type { Deployment } from "@microshop/lab";
import { deploymentOutcome, deploymentSummary } from "~/lib/deployment-summary";
import styles from "../lab/lab.module.css";
import panels from "./panels.module.css";

/** The last deploys of one service, newest first, each in one line. */
export function DeploymentHistory({ deployments }: { deployments: readonly Deployment[] }) {
  const finished = deployments.filter((deployment) => deployment.finishedAt !== null).slice(0, 5);
  if (finished.length === 0) return <p className={panels.empty}>No deploys yet.</p>;
  return (
    <ul className={styles.history}>
      {finished.map((deployment) => (
        <li key={deployment.id}>
          <b>{deploymentSummary(deployment, Date.now())}</b>{" "}
          <span className={styles.outcomeTag} data-state={deployment.state}>
            ({deploymentOutcome(deployment)})
          </span>
        </li>
      ))}
    </ul>
  );
}
