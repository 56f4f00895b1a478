/**
 * What one replica can bear, as the lab's capacity faults set it (`capacityOf`): a CPU cost per
 * call, burnt for real so that the replica becomes CPU-bound, and a limit on the calls it serves at
 * once; the rest wait their turn in order, each for as long as its caller still waits. One gate per
 * service in a process, passed by its HTTP calls and its in-process calls alike.
 */
import { capacityOf, type Fault } from "@microshop/lab/faults";
import { TRPCError } from "@trpc/server";

export interface CapacityGate {
  /** Resolves when the call may run (its CPU cost paid), with the function that ends its turn; rejects if `signal` ends the wait. */
  admit(signal?: AbortSignal): Promise<() => void>;
  readonly running: number;
  readonly waiting: number;
}

/** Keeps this thread busy for `ms`: a real busy loop, not a timer, so the replica's CPU is what runs out. */
export function burnCpu(ms: number): void {
  if (ms <= 0) return;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose.
  }
}

interface Waiter {
  readonly grant: (release: () => void) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export function createCapacityGate(service: string, faults: () => readonly Fault[]): CapacityGate {
  let running = 0;
  const queue: Waiter[] = [];
  const limit = () => capacityOf(faults(), service).concurrency ?? Number.POSITIVE_INFINITY;
  const start = (): (() => void) => {
    running += 1;
    burnCpu(capacityOf(faults(), service).cpuMs);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running -= 1;
      pump();
    };
  };
  const pump = () => {
    while (queue.length > 0 && running < limit()) {
      const waiter = queue.shift();
      if (!waiter) return;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.grant(start());
    }
  };
  const gaveUp = () =>
    new TRPCError({ code: "CLIENT_CLOSED_REQUEST", message: `The caller stopped waiting for a turn at the ${service} service` });
  return {
    admit(signal) {
      if (signal?.aborted) return Promise.reject(gaveUp());
      if (queue.length === 0 && running < limit()) return Promise.resolve(start());
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          grant: resolve,
          signal,
          onAbort: () => {
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            reject(gaveUp());
          },
        };
        queue.push(waiter);
        signal?.addEventListener("abort", waiter.onAbort, { once: true });
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
