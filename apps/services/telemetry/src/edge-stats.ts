import type { RequestEvent } from "./request-event";

/** The longest window a query may ask for, in seconds: one counter slot per second of it. */
export const MAX_WINDOW_SECONDS = 3_600;

/**
 * Requests on one edge, kept incrementally as they are joined so that the map's queries (polled
 * every second or two) never rescan the spans:
 * - exact counts per second of start time for the last hour, in a ring of typed arrays, so
 *   requests, req/s and error rate stay right under any load;
 * - the most recent requests themselves, in a ring of `sampleSize`, for percentiles, operations
 *   and the edge's request list (all of them while traffic is light, the latest under load).
 */
export class EdgeStats {
  private readonly slotSecond = new Float64Array(MAX_WINDOW_SECONDS).fill(-1);
  private readonly slotRequests = new Uint32Array(MAX_WINDOW_SECONDS);
  private readonly slotErrors = new Uint32Array(MAX_WINDOW_SECONDS);
  private readonly samples: Array<RequestEvent | undefined>;
  private next = 0;
  /** Arrival time of the latest request, to pick which edge to forget if there are too many. */
  lastSeenMs = 0;

  constructor(
    readonly source: string,
    readonly target: string,
    sampleSize: number,
  ) {
    this.samples = new Array<RequestEvent | undefined>(sampleSize);
  }

  record(event: RequestEvent, arrivedMs: number): void {
    this.lastSeenMs = arrivedMs;
    this.samples[this.next] = event;
    this.next = (this.next + 1) % this.samples.length;
    const second = Math.floor(event.startMs / 1_000);
    const slot = ((second % MAX_WINDOW_SECONDS) + MAX_WINDOW_SECONDS) % MAX_WINDOW_SECONDS;
    const held = this.slotSecond[slot] ?? -1;
    if (held > second) return; // over an hour older than what the slot holds: outside any window
    if (held < second) {
      this.slotSecond[slot] = second;
      this.slotRequests[slot] = 0;
      this.slotErrors[slot] = 0;
    }
    this.slotRequests[slot] = (this.slotRequests[slot] ?? 0) + 1;
    if (event.error) this.slotErrors[slot] = (this.slotErrors[slot] ?? 0) + 1;
  }

  /** Requests and errors that started at or after `sinceMs` (to the second). */
  counts(sinceMs: number): { requests: number; errors: number } {
    const sinceSecond = Math.floor(sinceMs / 1_000);
    let requests = 0;
    let errors = 0;
    for (let slot = 0; slot < MAX_WINDOW_SECONDS; slot++) {
      if ((this.slotSecond[slot] ?? -1) >= sinceSecond) {
        requests += this.slotRequests[slot] ?? 0;
        errors += this.slotErrors[slot] ?? 0;
      }
    }
    return { requests, errors };
  }

  /** The kept requests that started at or after `sinceMs`, in no particular order. */
  samplesSince(sinceMs: number): RequestEvent[] {
    const out: RequestEvent[] = [];
    for (const event of this.samples) if (event && event.startMs >= sinceMs) out.push(event);
    return out;
  }
}
