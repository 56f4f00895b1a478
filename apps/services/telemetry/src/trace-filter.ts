import type { SpanRecord } from "./otlp";
import { rpcMethod } from "./request-event";

export interface TraceFilter {
  /** A substring of any span's name or rpc method, case-insensitive. */
  readonly operation?: string | undefined;
  readonly status?: "ok" | "error" | undefined;
  readonly minDurationMs?: number | undefined;
  /** A span carries `microshop.test_id` with exactly this value (an e2e test tags its traces). */
  readonly testId?: string | undefined;
  /** A span of this service is in the trace. */
  readonly service?: string | undefined;
}

/** The e2e tests' tag: the Playwright test that caused a trace, set as a span attribute. */
export const TEST_ID_ATTRIBUTE = "microshop.test_id";

/** A predicate over a trace's spans, cheapest checks first. */
export function traceMatcher(filter: TraceFilter): (spans: readonly SpanRecord[]) => boolean {
  // A case-insensitive regex tests each name without lower-casing (allocating) it: 50k spans per query.
  const operation =
    filter.operation === undefined ? undefined : new RegExp(filter.operation.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  return (spans) => {
    if (filter.service !== undefined && !spans.some((s) => s.service === filter.service)) return false;
    if (filter.testId !== undefined && !spans.some((s) => s.attributes[TEST_ID_ATTRIBUTE] === filter.testId)) return false;
    if (filter.status !== undefined && spans.some((s) => s.error) !== (filter.status === "error")) return false;
    if (operation !== undefined && !spans.some((s) => operation.test(s.name) || operation.test(rpcMethod(s) ?? ""))) {
      return false;
    }
    if (filter.minDurationMs !== undefined && duration(spans) < filter.minDurationMs) return false;
    return true;
  };
}

function duration(spans: readonly SpanRecord[]): number {
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    start = Math.min(start, span.startMs);
    end = Math.max(end, span.startMs + span.durationMs);
  }
  return end - start;
}
