/**
 * Fake OTLP/HTTP JSON traffic, shaped the way the stack's instrumentation draws the shop (browser →
 * storefront → services with their SQLite queries, W3C parent/child ids, rpc and db semantic
 * attributes), so the dashboard moves without the whole stack, tests have realistic traces, and
 * the bench drives the telemetry service and the dashboard at a fixed rate. One module for every
 * generator: `syntheticTrace` (a shop's mix, random timings), `otlpJsonBatch` (fixed 12-span
 * checkouts, for the ingest benchmark), `toOtlpJson` and `startSyntheticTraffic`.
 *
 * No Node-only API: it runs in a browser bundle as well (fetch, timers and Web Crypto only).
 */

export interface SyntheticTrafficOptions {
  /** The telemetry service's OTLP endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  readonly otlpUrl: string;
  /** Spans per second to send (whole traces, so the rate is met on average). */
  readonly spansPerSecond: number;
  /** How often a batch is posted. */
  readonly tickMs?: number;
  /** Share of checkouts whose card is declined (the trace then carries errors). */
  readonly declineRate?: number;
}

export interface SyntheticTraffic {
  stop(): Promise<void>;
  /** Spans posted and accepted so far, and posts that failed. */
  stats(): { spans: number; traces: number; failedPosts: number };
}

type Kind = 1 | 2 | 3; // OTLP SpanKind: INTERNAL, SERVER, CLIENT
type Attribute = string | number | boolean;

interface Draft {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly service: string;
  readonly name: string;
  readonly kind: Kind;
  readonly start: number;
  end: number;
  error: string | null;
  readonly attributes: Record<string, Attribute>;
}

const hex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0")).join("");
const between = (min: number, max: number): number => min + Math.random() * (max - min);

class TraceBuilder {
  readonly traceId = hex(16);
  readonly spans: Draft[] = [];

  span(
    parent: Draft | null,
    service: string,
    name: string,
    kind: Kind,
    start: number,
    attributes: Record<string, Attribute> = {},
  ): Draft {
    const draft: Draft = {
      traceId: this.traceId,
      spanId: hex(8),
      parentSpanId: parent?.spanId ?? "",
      service,
      name,
      kind,
      start,
      end: start,
      error: null,
      attributes,
    };
    this.spans.push(draft);
    return draft;
  }

  /** A tRPC call: the caller's client span around the callee's server span, plus network time. */
  rpc(
    parent: Draft,
    callee: string,
    method: string,
    start: number,
    work: (server: Draft, at: number) => number,
    fail: string | null = null,
  ): Draft {
    const attributes = { "rpc.system": "trpc", "rpc.service": callee, "rpc.method": method, "server.address": "127.0.0.1" };
    const client = this.span(parent, parent.service, method, 3, start, attributes);
    const server = this.span(client, callee, method, 2, start + between(0.15, 0.6), {
      ...attributes,
      "http.request.method": "POST",
    });
    server.end = Math.max(work(server, server.start + between(0.05, 0.3)), server.start + 0.1) + between(0.05, 0.2);
    client.end = server.end + between(0.15, 0.6);
    if (fail) server.error = client.error = fail;
    return client;
  }

  /** A query on the service's own SQLite database. */
  query(parent: Draft, statement: string, table: string, start: number): number {
    const span = this.span(parent, parent.service, `${statement} ${table}`, 3, start, {
      "db.system.name": "sqlite",
      "db.operation.name": statement,
      "db.collection.name": table,
      "db.namespace": `${parent.service}.db`,
    });
    span.end = start + between(0.08, 1.6) * (statement === "SELECT" ? 1 : 1.8);
    return span.end;
  }
}

function verifySession(b: TraceBuilder, parent: Draft, start: number): number {
  return b.rpc(parent, "user", "session.verify", start, (user, at) => b.query(user, "SELECT", "Session", at)).end;
}

/** The browser's fetch and the storefront BFF's handler around it. */
function page(b: TraceBuilder, route: string, bff: (storefront: Draft, at: number) => number): void {
  const root = b.span(null, "browser", `POST ${route}`, 3, 0, { "http.request.method": "POST", "url.path": route });
  const server = b.span(root, "storefront", route, 2, between(0.8, 2.5), {
    "http.route": route,
    "rpc.system": "trpc",
    "rpc.method": route.replace("/api/trpc/", ""),
  });
  server.end = bff(server, server.start + between(0.2, 0.8)) + between(0.2, 0.8);
  root.end = server.end + between(0.8, 3);
  root.error = server.error;
}

function browse(b: TraceBuilder): void {
  page(b, "/api/trpc/catalog.bySlug", (sf, at) => {
    const product = b.rpc(sf, "product", "catalog.bySlug", at, (svc, t) =>
      b.query(svc, "SELECT", "Product", b.query(svc, "SELECT", "Category", t)),
    );
    const stock = b.rpc(sf, "inventory", "stock.get", at + 0.1, (svc, t) => b.query(svc, "SELECT", "StockLevel", t));
    return Math.max(product.end, stock.end);
  });
}

function search(b: TraceBuilder): void {
  page(
    b,
    "/api/trpc/catalog.search",
    (sf, at) => b.rpc(sf, "product", "catalog.search", at, (svc, t) => b.query(svc, "SELECT", "Product", t + between(0, 4))).end,
  );
}

function addToCart(b: TraceBuilder): void {
  page(
    b,
    "/api/trpc/cart.add",
    (sf, at) =>
      b.rpc(sf, "cart", "cart.add", at, (cart, t) => {
        const user = verifySession(b, cart, t);
        const price = b.rpc(cart, "product", "catalog.byId", user, (svc, s) => b.query(svc, "SELECT", "Product", s)).end;
        const stock = b.rpc(cart, "inventory", "stock.available", user, (svc, s) => b.query(svc, "SELECT", "StockLevel", s)).end;
        return b.query(cart, "UPSERT", "CartItem", Math.max(price, stock));
      }).end,
  );
}

function checkout(b: TraceBuilder, declineRate: number): void {
  const declined = Math.random() < declineRate;
  page(b, "/api/trpc/checkout.place", (sf, at) => {
    const order = b.rpc(
      sf,
      "order",
      "checkout.place",
      at,
      (svc, t) => {
        let now = verifySession(b, svc, t);
        now = b.rpc(svc, "product", "catalog.byIds", now, (p, s) => b.query(p, "SELECT", "Product", s)).end;
        now = b.query(svc, "INSERT", "Order", now);
        now = b.rpc(svc, "inventory", "reservations.reserve", now, (inv, s) =>
          b.query(inv, "UPDATE", "StockLevel", b.query(inv, "INSERT", "Reservation", s)),
        ).end;
        const charge = b.rpc(
          svc,
          "payment",
          "charges.create",
          now,
          (pay, s) => b.query(pay, "INSERT", "Charge", s + between(3, 18)),
          declined ? "Your card was declined." : null,
        );
        now = charge.end;
        if (declined) {
          now = b.rpc(svc, "inventory", "reservations.release", now, (inv, s) => b.query(inv, "UPDATE", "Reservation", s)).end;
          now = b.query(svc, "UPDATE", "Order", now);
          return now;
        }
        now = b.rpc(svc, "inventory", "reservations.commit", now, (inv, s) => b.query(inv, "UPDATE", "Reservation", s)).end;
        now = b.query(svc, "UPDATE", "Order", now);
        return b.rpc(svc, "email", "outbox.enqueue", now, (mail, s) =>
          b.query(mail, "INSERT", "OutboxMessage", verifySession(b, mail, s)),
        ).end;
      },
      declined ? "Your card was declined." : null,
    );
    sf.error = order.error;
    return order.end;
  });
}

/**
 * One checkout with fixed timings: 12 spans, 5 service-to-service requests and 2 database queries;
 * callees start a little after and end a little before their callers.
 */
function fixedCheckout(declined: boolean): Draft[] {
  const b = new TraceBuilder();
  let depth = 0;
  const span = (parent: Draft | null, service: string, name: string, kind: Kind, attributes: Record<string, Attribute>) => {
    const draft = b.span(parent, service, name, kind, depth * 0.1, attributes);
    draft.end = 40 - depth++ * 0.1;
    return draft;
  };
  const rpc = (service: string, method: string) => ({
    "rpc.system": "trpc",
    "rpc.service": service,
    "rpc.method": method,
    "http.request.method": "POST",
    "url.path": `/trpc/${method}`,
  });
  const call = (parent: Draft, service: string, method: string) =>
    span(span(parent, parent.service, `${service} ${method}`, 3, rpc(service, method)), service, method, 2, rpc(service, method));
  const query = (parent: Draft, name: string, text: string) =>
    span(parent, parent.service, name, 3, { "db.system.name": "sqlite", "db.query.text": text });

  const root = span(null, "browser", "POST /api/trpc/checkout.placeOrder", 3, { "http.request.method": "POST" });
  const storefront = span(root, "storefront", "POST /api/trpc/checkout.placeOrder", 2, rpc("storefront", "checkout.placeOrder"));
  const order = call(storefront, "order", "orders.place");
  query(order, "INSERT Order", 'INSERT INTO "Order" VALUES (?)');
  query(call(order, "inventory", "reservations.reserve"), "UPDATE StockItem", 'UPDATE "StockItem" SET reserved = reserved + ?');
  const payment = call(order, "payment", "charges.create");
  if (declined) payment.error = "Your card was declined.";
  call(order, "email", "messages.queue");
  return b.spans;
}

/** One export body of about `spans` spans in whole checkouts (one in 50 declined), as JSON text, and its span count. */
export function otlpJsonBatch(spans: number, nowMs = Date.now()): { body: string; spans: number } {
  const traces = Array.from({ length: Math.max(1, Math.round(spans / 12)) }, (_, t) => ({
    spans: fixedCheckout(t % 50 === 0),
    endMs: nowMs - 10,
  }));
  return { body: JSON.stringify(toOtlpJson(traces)), spans: traces.reduce((sum, trace) => sum + trace.spans.length, 0) };
}

/** Weighted like a shop: mostly browsing, some carts, a few checkouts. */
export function syntheticTrace(declineRate = 0.08): Draft[] {
  const b = new TraceBuilder();
  const roll = Math.random();
  if (roll < 0.45) browse(b);
  else if (roll < 0.7) search(b);
  else if (roll < 0.88) addToCart(b);
  else checkout(b, declineRate);
  return b.spans;
}

const value = (v: Attribute) =>
  typeof v === "string"
    ? { stringValue: v }
    : typeof v === "boolean"
      ? { boolValue: v }
      : Number.isInteger(v)
        ? { intValue: String(v) }
        : { doubleValue: v };

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1_000)) * 1_000n).toString();

/** OTLP/HTTP JSON for spans timed relative to a trace start, shifted so each trace ends at `endMs`. */
export function toOtlpJson(traces: ReadonlyArray<{ spans: readonly Draft[]; endMs: number }>): unknown {
  const byService = new Map<string, unknown[]>();
  for (const { spans, endMs } of traces) {
    const shift = endMs - Math.max(...spans.map((span) => span.end));
    for (const span of spans) {
      const list = byService.get(span.service) ?? [];
      list.push({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        name: span.name,
        kind: span.kind,
        startTimeUnixNano: nanos(span.start + shift),
        endTimeUnixNano: nanos(span.end + shift),
        attributes: Object.entries(span.attributes).map(([key, v]) => ({ key, value: value(v) })),
        status: span.error ? { code: 2, message: span.error } : { code: 0 },
      });
      byService.set(span.service, list);
    }
  }
  return {
    resourceSpans: [...byService.entries()].map(([service, spans]) => ({
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: "@microshop/otlp-fixtures" }, spans }],
    })),
  };
}

/** Posts synthetic traces at `spansPerSecond` until stopped. */
export function startSyntheticTraffic(options: SyntheticTrafficOptions): SyntheticTraffic {
  const tickMs = options.tickMs ?? 100;
  const declineRate = options.declineRate ?? 0.08;
  const inFlight = new Set<Promise<void>>();
  const counts = { spans: 0, traces: 0, failedPosts: 0 };
  let budget = 0;
  let last = performance.now();

  const tick = () => {
    const now = performance.now();
    budget += (options.spansPerSecond * (now - last)) / 1_000;
    last = now;
    const batch: Array<{ spans: Draft[]; endMs: number }> = [];
    let spans = 0;
    while (budget > 0) {
      const trace = syntheticTrace(declineRate);
      // Spread the traces over the tick so the stream looks continuous, not bursty.
      batch.push({ spans: trace, endMs: Date.now() - Math.random() * tickMs });
      budget -= trace.length;
      spans += trace.length;
    }
    // Too many posts unanswered means the receiver is behind: drop rather than pile up.
    if (batch.length === 0 || inFlight.size >= 8) return;
    const post = fetch(options.otlpUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(toOtlpJson(batch)),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) {
          counts.spans += spans;
          counts.traces += batch.length;
        } else counts.failedPosts += 1;
      })
      .catch(() => {
        counts.failedPosts += 1;
      })
      .finally(() => inFlight.delete(post));
    inFlight.add(post);
  };

  const timer = setInterval(tick, tickMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
    stats: () => ({ ...counts }),
  };
}
