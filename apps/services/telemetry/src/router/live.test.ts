import type { RunningServer } from "@microshop/service-runtime/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RequestEvent } from "../request-event";
import { otlpJson, postOtlp, startTelemetry } from "../test-server";

let server: RunningServer;
let client: Awaited<ReturnType<typeof startTelemetry>>["client"];

beforeAll(async () => {
  ({ server, client } = await startTelemetry());
});
afterAll(() => server.close());

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

/** Subscribes over SSE (through the real HTTP server) and collects events until `done` says so. */
function collect(input: { sinceMs?: number } | undefined, done: (events: RequestEvent[]) => boolean) {
  const events: RequestEvent[] = [];
  const batches: number[] = [];
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const finished = new Promise<RequestEvent[]>((resolve, reject) => {
    const subscription = client.live.requests.subscribe(input, {
      onStarted: () => started(),
      onData: ({ events: batch }) => {
        batches.push(batch.length);
        events.push(...batch);
        if (done(events)) {
          subscription.unsubscribe();
          resolve(events);
        }
      },
      onError: reject,
    });
  });
  return { ready, finished, batches };
}

it("streams joined requests as both halves arrive, from separate exports in either order", async () => {
  const live = collect(undefined, (events) => events.length >= 2);
  await live.ready;
  const now = Date.now();
  // Callee first for the first call, caller first for the second; a server span never sent alone.
  expect(
    (
      await postOtlp(
        server.url,
        otlpJson("order", [
          {
            traceId,
            spanId: "00000000000000b2",
            parentSpanId: "00000000000000b1",
            name: "orders.place",
            kind: 2,
            startMs: now,
            durationMs: 8,
            attributes: { "rpc.method": "orders.place" },
          },
        ]),
      )
    ).status,
  ).toBe(200);
  await postOtlp(
    server.url,
    otlpJson("storefront", [
      { traceId, spanId: "00000000000000b1", name: "order orders.place", kind: 3, startMs: now, durationMs: 10 },
      // The load generator's journey: its baggage is on the caller's span.
      {
        traceId,
        spanId: "00000000000000c1",
        name: "product catalog.get",
        kind: 3,
        startMs: now + 1,
        durationMs: 4,
        attributes: { "microshop.synthetic": "load" },
      },
    ]),
  );
  await postOtlp(
    server.url,
    otlpJson(
      "product",
      [
        {
          traceId,
          spanId: "00000000000000c2",
          parentSpanId: "00000000000000c1",
          name: "catalog.get",
          kind: 2,
          startMs: now + 2,
          durationMs: 2,
        },
      ],
      { "service.instance.id": "product-2", "service.version": "1.1.0" },
    ),
  );

  const events = await live.finished;
  expect(events).toEqual([
    {
      traceId,
      spanId: "00000000000000b2",
      source: "storefront",
      target: "order",
      name: "orders.place",
      startMs: now,
      durationMs: 10,
      error: false,
      targetInstance: null,
      targetVersion: null,
      synthetic: false,
    },
    {
      traceId,
      spanId: "00000000000000c2",
      source: "storefront",
      target: "product",
      name: "catalog.get",
      startMs: now + 1,
      durationMs: 4,
      error: false,
      targetInstance: "product-2",
      targetVersion: "1.1.0",
      synthetic: true,
    },
  ]);
  // No empty batches.
  expect(live.batches.every((size) => size > 0)).toBe(true);
});

it("first replays the requests since `sinceMs`, then goes on live", async () => {
  const replayed = collect({ sinceMs: 0 }, (events) => events.length >= 2);
  expect((await replayed.finished).map((e) => e.target)).toEqual(["order", "product"]);

  const future = collect({ sinceMs: Date.now() + 60_000 }, (events) => events.some((e) => e.target === "storefront/sqlite"));
  await future.ready;
  await postOtlp(
    server.url,
    otlpJson("storefront", [
      {
        traceId,
        spanId: "00000000000000d1",
        name: "SELECT Session",
        kind: 3,
        startMs: Date.now(),
        durationMs: 1,
        attributes: { "db.system.name": "sqlite" },
      },
    ]),
  );
  expect((await future.finished).map((e) => e.target)).toEqual(["storefront/sqlite"]);
});

it("ends open live streams when the service shuts down, instead of waiting for them", async () => {
  const own = await startTelemetry();
  let started!: () => void;
  const open = new Promise<void>((resolve) => (started = resolve));
  const subscription = own.client.live.requests.subscribe(undefined, { onStarted: () => started(), onData: () => undefined });
  await open;
  expect(own.server.inFlight).toBe(1);
  // The shutdown timeout is ten minutes: this resolves only because the stream was ended.
  await own.server.close();
  expect(own.server.inFlight).toBe(0);
  subscription.unsubscribe();
});
