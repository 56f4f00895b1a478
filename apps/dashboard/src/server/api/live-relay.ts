import type { RequestEvent } from "~/telemetry/contract";

/** Subscribes upstream; returns how to stop. `onEnd` is called when the upstream stream stops by itself. */
export type UpstreamSubscribe = (handlers: {
  onEvents: (events: readonly RequestEvent[]) => void;
  onEnd: (error?: unknown) => void;
}) => () => void;

interface Listener {
  queue: RequestEvent[];
  wake: (() => void) | undefined;
}

/**
 * One upstream live stream shared by every open dashboard tab: subscribed while anyone listens,
 * re-subscribed after a pause when the telemetry service goes away, and each tab's queue bounded
 * (particles are a picture, not a ledger: past the bound the oldest are dropped).
 */
export class LiveRelay {
  private readonly listeners = new Set<Listener>();
  private stopUpstream: (() => void) | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly subscribe: UpstreamSubscribe,
    private readonly options: { maxQueued: number; retryMs: number } = { maxQueued: 4_000, retryMs: 2_000 },
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  private connect(): void {
    if (this.stopUpstream || this.retryTimer || this.listeners.size === 0) return;
    this.stopUpstream = this.subscribe({
      onEvents: (events) => this.publish(events),
      onEnd: () => {
        this.stopUpstream = undefined;
        if (this.listeners.size === 0) return;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.connect();
        }, this.options.retryMs);
      },
    });
  }

  private disconnectIfIdle(): void {
    if (this.listeners.size > 0) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const stop = this.stopUpstream;
    this.stopUpstream = undefined;
    stop?.();
  }

  private publish(events: readonly RequestEvent[]): void {
    for (const listener of this.listeners) {
      listener.queue.push(...events);
      const excess = listener.queue.length - this.options.maxQueued;
      if (excess > 0) listener.queue.splice(0, excess);
      listener.wake?.();
    }
  }

  /** Batches of events until `signal` aborts; each batch is whatever arrived since the last one. */
  async *listen(signal: AbortSignal | undefined): AsyncGenerator<RequestEvent[]> {
    const listener: Listener = { queue: [], wake: undefined };
    this.listeners.add(listener);
    this.connect();
    try {
      while (!signal?.aborted) {
        if (listener.queue.length === 0) {
          await new Promise<void>((resolve) => {
            listener.wake = resolve;
            signal?.addEventListener("abort", () => resolve(), { once: true });
          });
          listener.wake = undefined;
          continue;
        }
        const batch = listener.queue;
        listener.queue = [];
        yield batch;
      }
    } finally {
      this.listeners.delete(listener);
      this.disconnectIfIdle();
    }
  }
}
