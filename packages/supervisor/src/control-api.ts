import { createLogger } from "@microshop/service-runtime/logger";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { supervisorRouter } from "./router";
import { controlHosts } from "./stack";
import type { Supervisor } from "./supervisor";

export interface ControlApiOptions {
  readonly host: string;
  readonly port: number;
  /** The bearer token every call must carry (the supervisor derives one per stack and hands it to the dashboard). */
  readonly token: string;
}

/**
 * Serves the control API at `/trpc`, with the same `/healthz` and `/readyz` as every service. It
 * stops and starts processes, so it is a control API to the runtime: a bearer token, the Host and
 * Origin of this machine only, JSON bodies only.
 */
export function startControlApi(supervisor: Supervisor, options: ControlApiOptions): Promise<RunningServer> {
  // The terminal belongs to the state lines; the API only speaks up when something goes wrong.
  const logger = createLogger("supervisor", "warn");
  return startServer({
    name: "supervisor",
    host: options.host,
    port: options.port,
    logger,
    shutdownTimeoutMs: 2_000,
    control: { token: options.token, hosts: controlHosts(options.host) },
    mounts: [
      {
        path: "/trpc",
        name: "supervisor",
        router: supervisorRouter,
        instance: {
          createContext: () => Promise.resolve({ supervisor }),
          checkReady: () => Promise.resolve(),
          close: () => Promise.resolve(),
        },
      },
    ],
  });
}
