/**
 * Serves tRPC mounts plus `/healthz` (the process is alive) and `/readyz` (every mount can serve),
 * and closes gracefully. Each part is its own module; this file only puts them together. Node's own
 * http server is enough here; tRPC's standalone adapter does the protocol.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCallerCheck, type ServiceTrust } from "./caller-auth";
import type { ControlGuard } from "./control-guard";
import { countInFlight } from "./in-flight";
import type { ProcessLab } from "./lab";
import type { Logger } from "./logger";
import { readiness } from "./readiness";
import { createDispatch, type Mount } from "./routing";
import type { RawRoute } from "./service";
import type { VersionBehaviour } from "./version-flavour";

export interface StartServerOptions {
  readonly name: string;
  readonly routes?: readonly RawRoute[];
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly mounts: readonly Mount[];
  readonly maxBodyBytes?: number;
  readonly shutdownTimeoutMs?: number;
  /** When set, every tRPC call must come from a process of the system that the mount serves: see `caller-auth.ts`. */
  readonly serviceTrust?: ServiceTrust;
  /** An API that drives the system (the supervisor's): see `ControlGuard`. */
  readonly control?: ControlGuard;
  /** The lab's capacity faults on the calls into each mount (`capacity.ts`); none without. */
  readonly lab?: ProcessLab;
  /** What this version does to the tRPC calls it serves (`version-flavour.ts`); health and readiness never change. */
  readonly version?: VersionBehaviour;
  /** Runs once the in-flight requests are done, before the mounts close (the lab agent stops). */
  readonly onClose?: () => Promise<void>;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes every mount. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { logger, mounts } = options;
  const server = createServer();
  const requests = countInFlight(server);
  server.on(
    "request",
    createDispatch({
      name: options.name,
      mounts,
      routes: options.routes ?? [],
      logger,
      maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
      checkCaller: options.serviceTrust ? createCallerCheck(options.serviceTrust) : undefined,
      control: options.control,
      lab: options.lab,
      version: options.version,
      readiness: () => readiness(mounts, requests.draining),
    }),
  );
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}`;
  logger.info({ url, mounts: mounts.map((m) => m.path) }, "listening");

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      logger.info({ inFlight: requests.count }, "shutting down: no new connections, finishing in-flight requests");
      for (const mount of mounts) mount.instance.stopStreams?.();
      await requests.drain(options.shutdownTimeoutMs ?? 10_000, logger);
      await options.onClose?.();
      await Promise.all(mounts.map((mount) => mount.instance.close()));
      logger.info("stopped");
    })());

  return {
    url,
    port,
    get inFlight() {
      return requests.count;
    },
    close,
  };
}
