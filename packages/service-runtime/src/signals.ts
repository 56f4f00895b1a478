/**
 * A process's graceful exit: on SIGTERM or SIGINT close the server, flush the spans still buffered
 * (so the requests served while draining show up on the map too) and exit; a second signal exits at once.
 */
import { shutdownNodeTracing } from "@microshop/tracing/node";
import type { Logger } from "./logger";

export function closeOnSignals(server: { close(): Promise<void> }, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, "signal received");
    server
      .close()
      .then(shutdownNodeTracing)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
