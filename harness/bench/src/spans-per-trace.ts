/**
 * How many spans one checkout costs, read back from the stack's own telemetry service (as the
 * dashboard reads it): the trace of a placed checkout, counted by kind and by what made the span.
 * The tracing benchmark reports it beside the throughput, so a cut in spans shows as a number.
 */
import { credentialsOf, SERVICE_TOKEN_HEADER, serviceTokenSigner } from "@microshop/service-auth";
import type { TelemetryRouter } from "@microshop/telemetry-service/router";
import { transformer } from "@microshop/transformer";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { RunningStack } from "./running-stack";

export interface SpanCount {
  readonly total: number;
  /** `<kind> <name>` of each span, counted; names with ids in them are cut at the first digit. */
  readonly byName: Readonly<Record<string, number>>;
}

/** The spans of the newest trace that placed an order, once every process has exported its part. */
export async function spansOfLatestCheckout(stack: RunningStack): Promise<SpanCount> {
  // The dashboard is the telemetry service's one caller; the bench holds the root secret.
  const token = serviceTokenSigner(credentialsOf(stack.serviceTokenSecret, "dashboard"), "telemetry");
  const telemetry = createTRPCClient<TelemetryRouter>({
    links: [
      httpLink({
        url: `${stack.telemetryUrl}/trpc`,
        transformer,
        headers: async () => ({ [SERVICE_TOKEN_HEADER]: await token() }),
      }),
    ],
  });
  // Each process exports in batches of 100 ms; the email is sent after the answer.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const [latest] = await telemetry.traces.list.query({ operation: "orders.place", limit: 1 });
  if (!latest) throw new Error("No checkout trace reached the telemetry service");
  const trace = await telemetry.traces.get.query({ traceId: latest.traceId });
  const byName: Record<string, number> = {};
  for (const span of trace.spans) {
    const key = `${span.kind} ${span.name.replace(/\d.*$/, "…")}`;
    byName[key] = (byName[key] ?? 0) + 1;
  }
  return { total: trace.spans.length, byName };
}
