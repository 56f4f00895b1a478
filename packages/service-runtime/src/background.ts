/**
 * Background work of a service (delivering an outbox, resuming sagas, sweeping expired holds): one
 * pass at a time, every `everyMs`, once at start, and again on `kick()`. Several replicas may run
 * the same loop on one database, so a pass must claim each piece of work with a lease (`leases.ts`)
 * rather than assume it is alone.
 */
import { untraced } from "@microshop/tracing/background";
import type { Logger } from "./logger";

export interface BackgroundLoopOptions {
  /** Names the loop in the log when a pass fails. */
  readonly name: string;
  readonly everyMs: number;
  /** One pass; what it resumes or delivers is traced by itself, the poll is not. */
  readonly run: () => Promise<void>;
  readonly logger: Logger;
}

export interface BackgroundLoop {
  /** Asks for a pass now, in the caller's trace; during a pass, for one more right after it. */
  kick(): void;
  /** Stops polling and waits for the pass under way. */
  stop(): Promise<void>;
}

export function startBackgroundLoop(options: BackgroundLoopOptions): BackgroundLoop {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // `traced`: a pass asked for by a request (a checkout's confirmation) runs in that request's
  // trace, so the map shows it as part of the checkout. Polls, the first pass and re-runs are not
  // traced: an idle pass every second would bury the shop's requests on the map.
  const start = (traced: boolean): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (traced ? options.run() : untraced(options.run))
      .catch((error: unknown) => options.logger.error({ err: error }, `${options.name} failed`))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          start(false);
        }
      });
  };
  const timer = setInterval(() => start(false), options.everyMs);
  timer.unref();
  start(false);
  return {
    kick: () => start(true),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
