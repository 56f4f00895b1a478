/** The longest window a query may ask for, in seconds: one counter slot per second of it. */
export const MAX_WINDOW_SECONDS = 3_600;

/** Which requests a count covers: every one, or only those of real shoppers (no load generator). */
export interface TrafficFilter {
  readonly includeSynthetic: boolean;
}

export const allTraffic: TrafficFilter = { includeSynthetic: true };

/**
 * Exact counts of requests and errors per second of start time for the last hour, in a ring of
 * typed arrays, with the load generator's share kept beside them: a count with or without
 * synthetic traffic is then a subtraction, never a rescan. One per edge and one per replica.
 */
export class SecondCounts {
  private readonly slotSecond = new Float64Array(MAX_WINDOW_SECONDS).fill(-1);
  private readonly slotRequests = new Uint32Array(MAX_WINDOW_SECONDS);
  private readonly slotErrors = new Uint32Array(MAX_WINDOW_SECONDS);
  private readonly slotSyntheticRequests = new Uint32Array(MAX_WINDOW_SECONDS);
  private readonly slotSyntheticErrors = new Uint32Array(MAX_WINDOW_SECONDS);

  add(startMs: number, error: boolean, synthetic: boolean): void {
    const second = Math.floor(startMs / 1_000);
    const slot = ((second % MAX_WINDOW_SECONDS) + MAX_WINDOW_SECONDS) % MAX_WINDOW_SECONDS;
    const held = this.slotSecond[slot] ?? -1;
    if (held > second) return; // over an hour older than what the slot holds: outside any window
    if (held < second) {
      this.slotSecond[slot] = second;
      this.slotRequests[slot] = 0;
      this.slotErrors[slot] = 0;
      this.slotSyntheticRequests[slot] = 0;
      this.slotSyntheticErrors[slot] = 0;
    }
    this.slotRequests[slot] = (this.slotRequests[slot] ?? 0) + 1;
    if (error) this.slotErrors[slot] = (this.slotErrors[slot] ?? 0) + 1;
    if (synthetic) {
      this.slotSyntheticRequests[slot] = (this.slotSyntheticRequests[slot] ?? 0) + 1;
      if (error) this.slotSyntheticErrors[slot] = (this.slotSyntheticErrors[slot] ?? 0) + 1;
    }
  }

  /** Requests and errors that started at or after `sinceMs` (to the second). */
  counts(sinceMs: number, filter: TrafficFilter = allTraffic): { requests: number; errors: number } {
    const sinceSecond = Math.floor(sinceMs / 1_000);
    let requests = 0;
    let errors = 0;
    for (let slot = 0; slot < MAX_WINDOW_SECONDS; slot++) {
      if ((this.slotSecond[slot] ?? -1) < sinceSecond) continue;
      requests += this.slotRequests[slot] ?? 0;
      errors += this.slotErrors[slot] ?? 0;
      if (!filter.includeSynthetic) {
        requests -= this.slotSyntheticRequests[slot] ?? 0;
        errors -= this.slotSyntheticErrors[slot] ?? 0;
      }
    }
    return { requests, errors };
  }
}
