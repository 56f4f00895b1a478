import type { ControlPlane } from "@microshop/lab/control-plane";
import type { FeedSource } from "@microshop/lab/feed";
import { controlPlaneRouter } from "@microshop/lab/router";
import { createLogger } from "@microshop/service-runtime/logger";
import type { Mount } from "@microshop/service-runtime/routing";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { feedRoute } from "./feed-route";
import { supervisorRouter } from "./router";
import { controlHosts, labPaths } from "./stack";
import type { Supervisor } from "./supervisor";

export interface ControlApiOptions {
  readonly host: string;
  readonly port: number;
  /** The bearer token every call must carry (the supervisor derives one per stack and hands it to the dashboard). */
  readonly token: string;
  /**
   * The lab: the control plane at `/control/trpc` (behind the same token and guard as `/trpc`), and
   * the feed its processes follow at `/lab/trpc` (behind their service tokens instead).
   */
  readonly lab?: {
    readonly plane: ControlPlane;
    readonly feed: FeedSource;
    /** The public keys of the processes that report to the feed. */
    readonly trustedKeys: string;
  };
}

const alwaysReady = { checkReady: () => Promise.resolve(), close: () => Promise.resolve() };

/**
 * Serves the control API at `/trpc`, with the same `/healthz` and `/readyz` as every service. It
 * stops and starts processes, so it is a control API to the runtime: a bearer token, the Host and
 * Origin of this machine only, JSON bodies only.
 */
export function startControlApi(supervisor: Supervisor, options: ControlApiOptions): Promise<RunningServer> {
  // The terminal belongs to the state lines; the API only speaks up when something goes wrong.
  const logger = createLogger("supervisor", "warn");
  const { lab } = options;
  const mounts: Mount[] = [
    {
      path: "/trpc",
      name: "supervisor",
      router: supervisorRouter,
      instance: { createContext: () => Promise.resolve({ supervisor }), ...alwaysReady },
    },
  ];
  if (lab) {
    mounts.push({
      path: labPaths.controlPlane,
      name: "control-plane",
      router: controlPlaneRouter,
      instance: { createContext: () => Promise.resolve({ plane: lab.plane }), ...alwaysReady },
    });
  }
  return startServer({
    name: "supervisor",
    host: options.host,
    port: options.port,
    logger,
    shutdownTimeoutMs: 2_000,
    control: { token: options.token, hosts: controlHosts(options.host) },
    mounts,
    routes: lab ? [feedRoute({ source: lab.feed, trustedKeys: lab.trustedKeys, logger })] : [],
  });
}
