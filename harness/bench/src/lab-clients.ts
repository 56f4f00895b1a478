/**
 * The two control APIs of a benchmark's stack, behind the bearer token derived from its root
 * secret: the supervisor's processes (pids, to show what a change left untouched) and the lab's
 * control plane (scale, deploy, faults, load), as the dashboard drives them.
 */
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import type { ControlPlaneRouter } from "@microshop/lab/router";
import { deriveControlToken } from "@microshop/service-auth";
import type { SupervisorRouter } from "@microshop/supervisor/router";
import { transformer } from "@microshop/transformer";
import type { RunningStack } from "./running-stack";

export interface LabClients {
  readonly plane: TRPCClient<ControlPlaneRouter>;
  readonly supervisor: TRPCClient<SupervisorRouter>;
}

export function labClients(stack: RunningStack): LabClients {
  const headers = { authorization: `Bearer ${deriveControlToken(stack.serviceTokenSecret)}` };
  return {
    plane: createTRPCClient<ControlPlaneRouter>({
      links: [httpLink({ url: `${stack.supervisorUrl}/control/trpc`, transformer, headers })],
    }),
    supervisor: createTRPCClient<SupervisorRouter>({
      links: [httpLink({ url: `${stack.supervisorUrl}/trpc`, transformer, headers })],
    }),
  };
}

/** Every process's pid by name: compared before and after a change, what kept its pid was not touched. */
export async function pidsByName(supervisor: LabClients["supervisor"]): Promise<Map<string, number | null>> {
  return new Map((await supervisor.processes.list.query()).map((info) => [info.name, info.pid]));
}
