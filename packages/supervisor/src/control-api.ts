import { createLogger } from "@microshop/service-runtime/logger";
import { startServer, type RunningServer } from "@microshop/service-runtime/server";
import { supervisorRouter } from "./router";
import type { Supervisor } from "./supervisor";

export interface ControlApiOptions {
  readonly host: string;
  readonly port: number;
}

/** Serves the control API at `/trpc`, with the same `/healthz` and `/readyz` as every service. */
export function startControlApi(supervisor: Supervisor, options: ControlApiOptions): Promise<RunningServer> {
  // The terminal belongs to the state lines; the API only speaks up when something goes wrong.
  const logger = createLogger("supervisor", "warn");
  return startServer({
    name: "supervisor",
    host: options.host,
    port: options.port,
    logger,
    shutdownTimeoutMs: 2_000,
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
