import { describe, expect, it } from "vitest";
import type { Span } from "~/telemetry/contract";
import { minWidthPct, timeTicks, waterfallRows } from "./waterfall";

const span = (
  spanId: string,
  parentSpanId: string | null,
  startMs: number,
  durationMs: number,
  extra: Partial<Span> = {},
): Span => ({
  traceId: "a".repeat(32),
  spanId,
  parentSpanId,
  service: "svc",
  name: spanId,
  kind: "internal",
  startMs,
  durationMs,
  error: false,
  statusMessage: "",
  attributes: {},
  instance: null,
  version: null,
  synthetic: false,
  ...extra,
});

describe("waterfallRows", () => {
  it("places bars by start and duration relative to the whole trace", () => {
    const rows = waterfallRows([span("root", null, 1_000, 100), span("child", "root", 1_025, 50)]);
    expect(rows.map((row) => [row.span.spanId, row.depth, row.offsetPct, row.widthPct])).toEqual([
      ["root", 0, 0, 100],
      ["child", 1, 25, 50],
    ]);
  });

  it("lists spans in tree order, children by start time, indented by depth", () => {
    const rows = waterfallRows([
      span("late-child", "root", 60, 10),
      span("grandchild", "early-child", 15, 5),
      span("root", null, 0, 100),
      span("early-child", "root", 10, 20),
    ]);
    expect(rows.map((row) => `${row.depth}:${row.span.spanId}`)).toEqual([
      "0:root",
      "1:early-child",
      "2:grandchild",
      "1:late-child",
    ]);
  });

  it("keeps very short spans visible and never past the end", () => {
    const rows = waterfallRows([span("root", null, 0, 1_000), span("blink", "root", 999.99, 0.001)]);
    const blink = rows.find((row) => row.span.spanId === "blink")!;
    expect(blink.offsetPct + blink.widthPct).toBeLessThanOrEqual(100);
    const tiny = waterfallRows([span("root", null, 0, 1_000), span("blink", "root", 100, 0)]).find(
      (row) => row.span.spanId === "blink",
    )!;
    expect(tiny.widthPct).toBe(minWidthPct);
  });

  it("starts a tree of its own for a span whose parent is not in the trace", () => {
    const rows = waterfallRows([span("root", null, 0, 10), span("orphan", "missing", 5, 2)]);
    expect(rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ["root", 0],
      ["orphan", 0],
    ]);
  });

  it("returns nothing for no spans", () => {
    expect(waterfallRows([])).toEqual([]);
  });
});

describe("timeTicks", () => {
  it("uses round steps across the trace", () => {
    expect(timeTicks(100).map((tick) => tick.label)).toEqual(["0 ms", "25 ms", "50 ms", "75 ms", "100 ms"]);
    expect(timeTicks(31).map((tick) => tick.label)).toEqual(["0 ms", "10 ms", "20 ms", "30 ms"]);
  });
});
