import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { LOAD_BAGGAGE, LOAD_BAGGAGE_KEY } from "@microshop/lab/load";
import { createTRPCClient, unstable_localLink as localLink } from "@trpc/client";
import { initTRPC, TRPCError } from "@trpc/server";
import { transformer } from "@microshop/transformer";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { backgroundSpan, untraced } from "./background";
import { traceCall } from "./client-span";
import { processResource } from "./resource";
import { nameServerSpan, recordProcedureError } from "./rpc";
import { TEST_ID_KEY } from "./test-id";
import { recordSpans } from "./testing";

const exporter = recordSpans();
const tracer = trace.getTracer("test");
beforeEach(() => exporter.reset());

const t = initTRPC.create({ transformer });
const router = t.router({
  stock: t.router({
    reserve: t.procedure.input(z.object({ units: z.number() })).mutation(({ input }) => {
      tracer.startSpan("inside the callee").end();
      if (input.units > 5) throw new TRPCError({ code: "CONFLICT", message: "Only 5 left" });
      return { reserved: input.units };
    }),
  }),
});
const local = createTRPCClient<typeof router>({
  links: [localLink({ router, createContext: () => Promise.resolve({}), transformer })],
});
const client = {
  stock: {
    reserve: {
      mutate: (input: { units: number }) => traceCall("inventory", "stock.reserve", () => local.stock.reserve.mutate(input)),
    },
  },
};

describe("traceCall", () => {
  it("wraps each call in a client span named and attributed by the RPC conventions, the callee's work inside it", async () => {
    expect(await client.stock.reserve.mutate({ units: 2 })).toEqual({ reserved: 2 });
    const [inside, call] = exporter.getFinishedSpans();
    expect(call).toMatchObject({
      name: "inventory/stock.reserve",
      kind: SpanKind.CLIENT,
      attributes: { "rpc.system": "trpc", "rpc.service": "inventory", "rpc.method": "stock.reserve" },
      status: { code: SpanStatusCode.UNSET },
    });
    expect(inside?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
  });

  it("marks a failed call an error with the message and the tRPC code", async () => {
    await expect(client.stock.reserve.mutate({ units: 9 })).rejects.toThrow("Only 5 left");
    const call = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CLIENT);
    expect(call?.status).toEqual({ code: SpanStatusCode.ERROR, message: "Only 5 left" });
    expect(call?.attributes["error.type"]).toBe("CONFLICT");
  });
});

describe("server spans", () => {
  it("are named after the tRPC procedure of a service, a monolith mount or a BFF batch", () => {
    const named = (url: string) => {
      const span = tracer.startSpan("GET");
      nameServerSpan(span, "GET", url, "product");
      span.end();
      return exporter.getFinishedSpans().at(-1);
    };
    expect(named("/trpc/catalog.search?input=%7B%7D")).toMatchObject({
      name: "product/catalog.search",
      attributes: { "rpc.method": "catalog.search" },
    });
    expect(named("/inventory/trpc/stock.levels")).toMatchObject({
      name: "inventory/stock.levels",
      attributes: { "rpc.service": "inventory" },
    });
    expect(named("/api/trpc/cart.get,catalog.featured?batch=1")?.name).toBe("product/cart.get,catalog.featured");
    expect(named("/p/enamel-kettle?x=1")?.name).toBe("GET /p/enamel-kettle");
  });

  it("are errors only for the server's own faults, never for a caller's bad input", () => {
    for (const [code, status] of [
      ["BAD_REQUEST", 400],
      ["INTERNAL_SERVER_ERROR", 500],
    ] as const) {
      tracer.startActiveSpan("server", (span) => {
        recordProcedureError(code, status, "boom");
        span.end();
      });
    }
    const [refused, failed] = exporter.getFinishedSpans();
    expect(refused).toMatchObject({ attributes: { "error.type": "BAD_REQUEST" }, status: { code: SpanStatusCode.UNSET } });
    expect(failed).toMatchObject({
      attributes: { "error.type": "INTERNAL_SERVER_ERROR" },
      status: { code: SpanStatusCode.ERROR, message: "boom" },
    });
  });
});

describe("test ids", () => {
  it("travel from W3C baggage onto every span started under it", () => {
    const incoming = propagation.extract(context.active(), { baggage: `${TEST_ID_KEY}=checkout-42` });
    context.with(incoming, () =>
      tracer.startActiveSpan("request", (span) => {
        tracer.startSpan("query").end();
        span.end();
      }),
    );
    expect(exporter.getFinishedSpans().map((span) => span.attributes[TEST_ID_KEY])).toEqual(["checkout-42", "checkout-42"]);
  });
});

describe("synthetic load", () => {
  it("is tagged on every span started under the load generator's baggage, beside a test id", () => {
    const incoming = propagation.extract(context.active(), { baggage: `${LOAD_BAGGAGE},${TEST_ID_KEY}=soak-1` });
    context.with(incoming, () =>
      tracer.startActiveSpan("request", (span) => {
        tracer.startSpan("query").end();
        span.end();
      }),
    );
    tracer.startSpan("a shopper's request").end();
    expect(exporter.getFinishedSpans().map((span) => [span.attributes[LOAD_BAGGAGE_KEY], span.attributes[TEST_ID_KEY]])).toEqual([
      ["load", "soak-1"],
      ["load", "soak-1"],
      [undefined, undefined],
    ]);
  });
});

describe("the process resource", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("names the instance and the version from OTEL_RESOURCE_ATTRIBUTES, as the supervisor hands them", () => {
    vi.stubEnv("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=cart-2,service.version=1.1.0");
    const { attributes } = processResource("cart", { SERVICE_INSTANCE_ID: "ignored", SERVICE_VERSION: "9.9.9" });
    expect(attributes).toMatchObject({ [ATTR_SERVICE_INSTANCE_ID]: "cart-2", [ATTR_SERVICE_VERSION]: "1.1.0" });
  });

  it("falls back to SERVICE_INSTANCE_ID and SERVICE_VERSION, then to the service's name and 1.0.0", () => {
    vi.stubEnv("OTEL_RESOURCE_ATTRIBUTES", "");
    expect(processResource("cart", { SERVICE_INSTANCE_ID: "cart-3", SERVICE_VERSION: "1.2.0" }).attributes).toMatchObject({
      [ATTR_SERVICE_INSTANCE_ID]: "cart-3",
      [ATTR_SERVICE_VERSION]: "1.2.0",
    });
    expect(processResource("payment", {}).attributes).toMatchObject({
      [ATTR_SERVICE_INSTANCE_ID]: "payment",
      [ATTR_SERVICE_VERSION]: "1.0.0",
    });
    // service.name is the NodeSDK's own option; the resource only must not lose the SDK's defaults.
    expect(processResource("payment", {}).attributes).toHaveProperty(ATTR_SERVICE_NAME);
  });
});

describe("background work", () => {
  it("is not traced while it only polls, and each unit it finds is the root of its own trace", async () => {
    await untraced(async () => {
      tracer.startSpan("idle poll query").end();
      await backgroundSpan("email/outbox.deliver", { id: "m1" }, () => Promise.resolve(tracer.startSpan("send").end()));
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(["send", "email/outbox.deliver"]);
    expect(spans[1]?.parentSpanContext).toBeUndefined();
  });

  it("kicked by a traced request, belongs to that request's trace", async () => {
    await tracer.startActiveSpan("order/orders.place", async (request) => {
      await backgroundSpan("order/outbox.confirm", {}, () => Promise.resolve());
      request.end();
    });
    const [confirm, request] = exporter.getFinishedSpans();
    expect(confirm?.spanContext().traceId).toBe(request?.spanContext().traceId);
    expect(confirm?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
  });
});
