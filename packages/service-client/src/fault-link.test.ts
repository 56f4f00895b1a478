import { SpanKind } from "@opentelemetry/api";
import { recordSpans } from "@microshop/tracing/testing";
import type { Fault } from "@microshop/lab/faults";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downstreamCode, isOutage, isTimeout } from "./errors";
import { FAULT_EVENT, FAULT_IDS_ATTRIBUTE, FAULT_OUTCOME_ATTRIBUTE } from "./fault-link";
import { createServiceClient } from "./index";
import { createServiceResolver } from "./resolver";
import { createCallTallies } from "./tallies";
import { echoRouter, startEchoServer, type EchoRouter, type EchoServer } from "./test-fixtures/echo-server";

const exporter = recordSpans();
const running: EchoServer[] = [];
let faults: Fault[] = [];
beforeEach(() => {
  exporter.reset();
  faults = [];
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

const base = { latencyMs: 0, jitterMs: 0, errorRate: 0, timeout: false, unreachable: false, cpuMs: 0, since: 0 };
const onProduct = (id: string, effect: Partial<Fault>): Fault => ({
  ...base,
  id,
  target: { kind: "service", service: "product" },
  ...effect,
});

async function productClient(options: { caller?: string; timeoutMs?: number } = {}) {
  const server = await startEchoServer("r1");
  running.push(server);
  const resolver = createServiceResolver({});
  resolver.setEndpoints("product", [{ url: server.url, instance: "product-1", weight: 1 }]);
  const tallies = createCallTallies();
  const client = createServiceClient<EchoRouter>("product", {
    resolver,
    caller: options.caller ?? "cart",
    timeoutMs: options.timeoutMs ?? 10_000,
    lab: { faults: () => faults, tallies },
  });
  return { client, tallies, resolver };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("the lab's faults on a call", () => {
  it("passes calls untouched while no fault is set, and counts them per endpoint", async () => {
    const { client, tallies } = await productClient();
    await client.echo.query({ text: "a" });
    await client.echo.query({ text: "b" });
    expect(tallies.take()).toEqual([{ callee: "product", instance: "product-1", ok: 2, failed: 0 }]);
    expect(tallies.take()).toEqual([]);
  });

  it("delays a call by at least the latency asked for, then lets it through", async () => {
    const { client } = await productClient();
    faults = [onProduct("slow", { latencyMs: 250 })];
    const started = performance.now();
    expect(await client.echo.query({ text: "late" })).toMatchObject({ text: "late" });
    // Timers never fire early; a millisecond of rounding between clocks is allowed for.
    expect(performance.now() - started).toBeGreaterThanOrEqual(249);
  });

  it("answers an error as the callee would when unavailable: SERVICE_UNAVAILABLE, an outage, naming the service", async () => {
    const { client, tallies } = await productClient();
    faults = [onProduct("f-1", { errorRate: 1 })];
    const error = await failure(client.echo.query({ text: "x" }));
    expect(downstreamCode(error)).toBe("SERVICE_UNAVAILABLE");
    expect(isOutage(error)).toBe(true);
    expect(isTimeout(error)).toBe(false);
    expect((error as Error).message).toMatch(/product service is unavailable: an error injected by the lab \(fault f-1\)/);
    expect(tallies.take()).toEqual([{ callee: "product", instance: "product-1", ok: 0, failed: 1 }]);
  });

  it("leaves a call hanging until the client's own deadline ends it, and its client span with it", async () => {
    const { client } = await productClient({ timeoutMs: 150 });
    faults = [onProduct("hang", { timeout: true })];
    const error = await failure(client.echo.query({ text: "x" }));
    expect((error as Error).message).toBe("The product service did not answer within 150 ms");
    expect(isTimeout(error)).toBe(true);
    // The span ends as the call does, with the deadline's message, not later and not never.
    const span = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT && s.name === "product/echo");
    expect(span?.status.message).toBe("The product service did not answer within 150 ms");
    expect(span?.attributes[FAULT_OUTCOME_ATTRIBUTE]).toBe("timeout");
  });

  it("lets the deadline end a call still waiting out its added latency", async () => {
    const { client } = await productClient({ timeoutMs: 150 });
    faults = [onProduct("very-slow", { latencyMs: 10_000 })];
    const error = await failure(client.echo.query({ text: "x" }));
    expect((error as Error).message).toBe("The product service did not answer within 150 ms");
  });

  it("refuses an unreachable callee at once, as a refused connection: no code, an outage", async () => {
    const { client } = await productClient();
    faults = [onProduct("gone", { unreachable: true })];
    const error = await failure(client.echo.query({ text: "x" }));
    expect(downstreamCode(error)).toBeUndefined();
    expect(isOutage(error)).toBe(true);
    expect((error as Error).message).toMatch(/product service is unreachable: a fault injected by the lab/);
    faults = [];
    expect(await client.echo.query({ text: "back" })).toMatchObject({ text: "back" });
  });

  it("applies an edge fault only to its caller", async () => {
    const fromOrder = await productClient({ caller: "order" });
    const fromCart = await productClient({ caller: "cart" });
    faults = [{ ...base, id: "edge", target: { kind: "edge", caller: "order", callee: "product" }, errorRate: 1 }];
    expect(downstreamCode(await failure(fromOrder.client.echo.query({ text: "x" })))).toBe("SERVICE_UNAVAILABLE");
    expect(await fromCart.client.echo.query({ text: "x" })).toMatchObject({ text: "x" });
  });

  it("puts the fault ids and the outcome on the call's client span, with an event", async () => {
    const { client } = await productClient();
    faults = [onProduct("f-1", { errorRate: 1 }), onProduct("f-2", { latencyMs: 5 })];
    await failure(client.echo.query({ text: "x" }));
    const span = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT && s.name === "product/echo");
    expect(span?.attributes).toMatchObject({ [FAULT_IDS_ATTRIBUTE]: ["f-1", "f-2"], [FAULT_OUTCOME_ATTRIBUTE]: "error" });
    expect(span?.events.map((event) => event.name)).toEqual([FAULT_EVENT]);
    expect(span?.attributes["error.type"]).toBe("SERVICE_UNAVAILABLE");
  });

  it("applies to in-process calls too (monolith mode)", async () => {
    const resolver = createServiceResolver({});
    resolver.host("product", { router: echoRouter, createContext: () => Promise.resolve({ replica: "local" }) });
    const client = createServiceClient<EchoRouter>("product", { resolver, caller: "monolith", lab: { faults: () => faults } });
    expect(await client.echo.query({ text: "in" })).toMatchObject({ replica: "local" });
    faults = [onProduct("f-1", { errorRate: 1 })];
    expect(downstreamCode(await failure(client.echo.query({ text: "in" })))).toBe("SERVICE_UNAVAILABLE");
  });
});
