import type { RequestEvent } from "./request-event";
import { allTraffic, SecondCounts, type TrafficFilter } from "./second-counts";

/**
 * Requests on one edge, kept incrementally as they are joined so that the map's queries (polled
 * every second or two) never rescan the spans:
 * - exact counts per second of start time for the last hour (`SecondCounts`), so requests, req/s
 *   and error rate stay right under any load, with or without the load generator's traffic;
 * - the most recent requests themselves, in a ring of `sampleSize`, for percentiles, operations
 *   and the edge's request list (all of them while traffic is light, the latest under load).
 */
export class EdgeStats {
  private readonly seconds = new SecondCounts();
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
    this.seconds.add(event.startMs, event.error, event.synthetic);
  }

  /** Requests and errors that started at or after `sinceMs` (to the second). */
  counts(sinceMs: number, filter: TrafficFilter = allTraffic): { requests: number; errors: number } {
    return this.seconds.counts(sinceMs, filter);
  }

  /** The kept requests that started at or after `sinceMs`, in no particular order. */
  samplesSince(sinceMs: number, filter: TrafficFilter = allTraffic): RequestEvent[] {
    const out: RequestEvent[] = [];
    for (const event of this.samples) {
      if (event && event.startMs >= sinceMs && (filter.includeSynthetic || !event.synthetic)) out.push(event);
    }
    return out;
  }
}
