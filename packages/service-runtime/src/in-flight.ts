/**
 * Requests received and not yet answered, and the drain of a graceful shutdown: stop accepting,
 * let those requests finish (up to a timeout), then close what is left.
 */
import type { Server } from "node:http";
import type { Logger } from "./logger";

export interface InFlightRequests {
  readonly count: number;
  /** True from the start of the drain: readiness says "stopping", answers close their connection. */
  readonly draining: boolean;
  /** Resolves once the server is closed: every request answered, or the timeout passed. */
  drain(timeoutMs: number, logger: Logger): Promise<void>;
}

/** Counts `server`'s requests; call before adding the request listener, so answers can still be marked. */
export function countInFlight(server: Server): InFlightRequests {
  let count = 0;
  let draining = false;
  let drained: (() => void) | undefined;
  server.on("request", (_req, res) => {
    count += 1;
    if (draining) res.setHeader("connection", "close");
    res.once("close", () => {
      count -= 1;
      if (count === 0) drained?.();
    });
  });
  return {
    get count() {
      return count;
    },
    get draining() {
      return draining;
    },
    async drain(timeoutMs, logger) {
      draining = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (count > 0) {
        const allDone = new Promise<void>((resolve) => (drained = resolve));
        const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref());
        if (await Promise.race([allDone.then(() => false), timedOut])) {
          logger.warn({ inFlight: count }, "shutdown timeout: closing remaining connections");
        }
      }
      server.closeAllConnections();
      await stopped;
    },
  };
}
