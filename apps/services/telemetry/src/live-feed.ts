import type { RequestEvent } from "./request-event";

export interface LiveBatch {
  readonly events: RequestEvent[];
}

export interface LiveFeedOptions {
  /** Events are gathered and sent at most this often: one SSE message per batch, not per event. */
  readonly flushMs: number;
  /** Past this, a batch drops further events (the map animates a sample, not every request). */
  readonly maxBatchEvents: number;
  /** Batches waiting for a slow subscriber; past it its oldest are dropped, so memory stays flat. */
  readonly maxQueuedBatches: number;
}

interface Subscriber {
  readonly queue: RequestEvent[][];
  wake: (() => void) | undefined;
}

/**
 * Fans joined requests out to every live subscriber in batches. Nothing is buffered while no one
 * listens, and a subscriber that reads slowly loses its oldest batches rather than growing memory.
 */
export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private batch: RequestEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: LiveFeedOptions) {}

  get stats(): { subscribers: number; droppedEvents: number } {
    return { subscribers: this.subscribers.size, droppedEvents: this.dropped };
  }

  publish(event: RequestEvent): void {
    if (this.subscribers.size === 0) return;
    if (this.batch.length >= this.options.maxBatchEvents) {
      this.dropped += 1;
      return;
    }
    this.batch.push(event);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  /**
   * Yields batches until `signal` aborts (the client went away). `first`, when given, is sent
   * before any live batch: the recent requests a reconnecting client asked for. The subscriber
   * is registered at once, not at the generator's first step, so nothing published after this
   * call returns is missed.
   */
  stream(signal: AbortSignal | undefined, first?: RequestEvent[]): AsyncGenerator<LiveBatch, void> {
    const subscriber: Subscriber = { queue: [], wake: undefined };
    this.subscribers.add(subscriber);
    // tRPC ends the generator when the request closes, but only at its next step: wake it up.
    const onAbort = () => {
      this.subscribers.delete(subscriber);
      subscriber.wake?.();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    return this.batches(subscriber, signal, first, onAbort);
  }

  private async *batches(
    subscriber: Subscriber,
    signal: AbortSignal | undefined,
    first: RequestEvent[] | undefined,
    onAbort: () => void,
  ): AsyncGenerator<LiveBatch, void> {
    try {
      if (first && first.length > 0) yield { events: first };
      while (!signal?.aborted && !this.closed) {
        const events = subscriber.queue.shift();
        if (events) {
          yield { events };
          continue;
        }
        await new Promise<void>((resolve) => (subscriber.wake = resolve));
        subscriber.wake = undefined;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.subscribers.delete(subscriber);
    }
  }

  /** Ends every stream at its next step (shutdown). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.batch = [];
    for (const subscriber of this.subscribers) subscriber.wake?.();
  }

  private flush(): void {
    this.timer = undefined;
    const events = this.batch;
    this.batch = [];
    if (events.length === 0) return;
    for (const subscriber of this.subscribers) {
      subscriber.queue.push(events);
      if (subscriber.queue.length > this.options.maxQueuedBatches) {
        this.dropped += subscriber.queue.shift()?.length ?? 0;
      }
      subscriber.wake?.();
    }
  }
}
