// A pass a request asks for belongs to that request's trace (a checkout's confirmation email is part
// of the checkout on the map); what a poll finds is a trace of its own.
import { trace } from "@opentelemetry/api";
import { backgroundSpan } from "@microshop/tracing/background";
import { recordSpans } from "@microshop/tracing/testing";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { startBackgroundLoop } from "./background";

const exporter = recordSpans();
const tracer = trace.getTracer("background-test");

describe("startBackgroundLoop", () => {
  it("runs a kicked pass in the kicking request's trace, and what a poll finds in a trace of its own", async () => {
    let passes = 0;
    const loop = startBackgroundLoop({
      name: "test loop",
      everyMs: 60_000,
      logger: pino({ level: "silent" }),
      run: () => backgroundSpan("deliver", {}, () => Promise.resolve(void (passes += 1))),
    });
    await expect.poll(() => passes).toBe(1);
    const polled = exporter.getFinishedSpans().find((span) => span.name === "deliver");
    expect(polled?.parentSpanContext).toBeUndefined();

    const requestTraceId = tracer.startActiveSpan("checkout", (span) => {
      loop.kick();
      span.end();
      return span.spanContext().traceId;
    });
    await expect.poll(() => passes).toBe(2);
    await loop.stop();
    const delivered = exporter.getFinishedSpans().filter((span) => span.name === "deliver");
    expect(delivered.map((span) => span.spanContext().traceId)).toEqual([polled?.spanContext().traceId, requestTraceId]);
  });
});
