import type { RequestObserver, RequestRecord } from "@microshop/shopper/bff-client";

/** Every shopper request of a run, in completion order. Epoch milliseconds throughout. */
export class RequestLog implements RequestObserver {
  readonly records: RequestRecord[] = [];
  private inFlightCount = 0;

  get inFlight(): number {
    return this.inFlightCount;
  }

  begin(): void {
    this.inFlightCount += 1;
  }

  end(record: RequestRecord): void {
    this.inFlightCount -= 1;
    this.records.push(record);
  }

  /** Requests sent in [from, to): the share of errors among them tells what an outage cost. */
  startedBetween(from: number, to: number): RequestRecord[] {
    return this.records.filter((record) => record.startedAt >= from && record.startedAt < to);
  }
}

export interface OutcomeCounts {
  readonly sent: number;
  readonly ok: number;
  readonly refused: number;
  readonly error: number;
  readonly hung: number;
}

export function countOutcomes(records: readonly RequestRecord[]): OutcomeCounts {
  const counts = { sent: records.length, ok: 0, refused: 0, error: 0, hung: 0 };
  for (const record of records) counts[record.outcome] += 1;
  return counts;
}

/** Failed (error or hung) over sent; 0 when nothing was sent. */
export function errorRate(counts: OutcomeCounts): number {
  return counts.sent === 0 ? 0 : (counts.error + counts.hung) / counts.sent;
}
