import { randomBytes } from "node:crypto";

/**
 * Realistic OTLP/HTTP JSON exports for the ingest benchmark: checkout-like traces crossing
 * browser → storefront → order → inventory/payment with database queries, attributes as the
 * instrumentations set them, and each process's spans in a resourceSpans of its own, as a
 * Collector batches them. Every batch has fresh ids, so the store and joiner do real work.
 */
interface Hop {
  readonly service: string;
  readonly kind: 2 | 3; // server, client
  readonly name: string;
  readonly parent: number; // index into the trace's hops, -1 for the root
  readonly attributes: ReadonlyArray<readonly [string, string]>;
}

const rpc = (service: string, method: string): Array<readonly [string, string]> => [
  ["rpc.system", "trpc"],
  ["rpc.service", service],
  ["rpc.method", method],
  ["http.request.method", "POST"],
  ["url.path", `/trpc/${method}`],
];
const query = (text: string): Array<readonly [string, string]> => [
  ["db.system.name", "sqlite"],
  ["db.query.text", text],
];

// One checkout: 12 spans, 5 service-to-service requests and 2 database queries.
const checkout: readonly Hop[] = [
  {
    service: "browser",
    kind: 3,
    name: "POST /api/trpc/checkout.placeOrder",
    parent: -1,
    attributes: [["http.request.method", "POST"]],
  },
  {
    service: "storefront",
    kind: 2,
    name: "POST /api/trpc/checkout.placeOrder",
    parent: 0,
    attributes: rpc("storefront", "checkout.placeOrder"),
  },
  { service: "storefront", kind: 3, name: "order orders.place", parent: 1, attributes: rpc("order", "orders.place") },
  { service: "order", kind: 2, name: "orders.place", parent: 2, attributes: rpc("order", "orders.place") },
  { service: "order", kind: 3, name: "INSERT Order", parent: 3, attributes: query('INSERT INTO "Order" VALUES (?)') },
  {
    service: "order",
    kind: 3,
    name: "inventory reservations.reserve",
    parent: 3,
    attributes: rpc("inventory", "reservations.reserve"),
  },
  {
    service: "inventory",
    kind: 2,
    name: "reservations.reserve",
    parent: 5,
    attributes: rpc("inventory", "reservations.reserve"),
  },
  {
    service: "inventory",
    kind: 3,
    name: "UPDATE StockItem",
    parent: 6,
    attributes: query('UPDATE "StockItem" SET reserved = reserved + ?'),
  },
  { service: "order", kind: 3, name: "payment charges.create", parent: 3, attributes: rpc("payment", "charges.create") },
  { service: "payment", kind: 2, name: "charges.create", parent: 8, attributes: rpc("payment", "charges.create") },
  { service: "order", kind: 3, name: "email messages.queue", parent: 3, attributes: rpc("email", "messages.queue") },
  { service: "email", kind: 2, name: "messages.queue", parent: 10, attributes: rpc("email", "messages.queue") },
];

const attribute = ([key, value]: readonly [string, string]) => ({ key, value: { stringValue: value } });

/** One export body with about `spans` spans (whole traces), as JSON text, and its span count. */
export function otlpJsonBatch(spans: number, nowMs = Date.now()): { body: string; spans: number } {
  const traces = Math.max(1, Math.round(spans / checkout.length));
  const ids = randomBytes(traces * (16 + 8 * checkout.length)).toString("hex");
  const byService = new Map<string, object[]>();
  let at = 0;
  for (let t = 0; t < traces; t++) {
    const traceId = ids.slice(at, (at += 32));
    const spanIds = checkout.map(() => ids.slice(at, (at += 16)));
    const startNs = BigInt(Math.round((nowMs - 50) * 1_000)) * 1_000n;
    checkout.forEach((hop, i) => {
      // Callees start a little after and end a little before their callers; one in 50 fails.
      const depth = BigInt(i) * 100_000n;
      const failed = hop.kind === 2 && hop.service === "payment" && t % 50 === 0;
      const span = {
        traceId,
        spanId: spanIds[i],
        parentSpanId: hop.parent >= 0 ? spanIds[hop.parent] : "",
        name: hop.name,
        kind: hop.kind,
        startTimeUnixNano: String(startNs + depth),
        endTimeUnixNano: String(startNs + 40_000_000n - depth),
        attributes: hop.attributes.map(attribute),
        status: failed ? { code: 2, message: "Your card was declined." } : {},
      };
      let list = byService.get(hop.service);
      if (!list) byService.set(hop.service, (list = []));
      list.push(span);
    });
  }
  const body = JSON.stringify({
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [attribute(["service.name", service]), attribute(["telemetry.sdk.language", "nodejs"])] },
      scopeSpans: [{ scope: { name: "@opentelemetry/instrumentation-http", version: "0.206.0" }, spans: list }],
    })),
  });
  return { body, spans: traces * checkout.length };
}
