/**
 * Replicas on one SQLite file: two processes each of order, payment and email (built code), each
 * pair on its service's one database, under shoppers checking out concurrently through both order
 * replicas (a shopper whose answer is lost retries the same checkout key on the other replica, as
 * the browser does). Callers get each service's URL list and spread their calls over it. Then the
 * soak's invariant checker reads the databases: every order paid or failed once, one charge per
 * order, one email per paid order, stock and money adding up.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { freePort } from "@microshop/supervisor/ports";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, expect, it } from "vitest";
import { serviceUrlsEnvName } from "@microshop/topology";
import { runInvariants, seedFacts } from "../invariants/checker";
import { readSnapshotFiles } from "../invariants/snapshot";
import { eventually, ServiceSlot, type ServiceProcess } from "./service-process";

type Name = "user" | "product" | "inventory" | "payment" | "email" | "order";
const replicated = ["payment", "email", "order"] as const;

let slots: Record<Name, ServiceSlot>;
/** Every process's base URL, by service: one for most, two for the replicated ones. */
const urls = new Map<Name, string[]>();
const processes: ServiceProcess[] = [];

/** `<NAME>_SERVICE_URLS` with every replica of each service, comma-separated. */
function addresses(...names: Name[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [serviceUrlsEnvName(name), (urls.get(name) ?? []).map((url) => `${url}/trpc`).join(",")]),
  );
}

async function startAll(name: Name, env: Record<string, string>, ports: readonly number[]): Promise<void> {
  const started = await Promise.all(ports.map((port) => slots[name].start(env, port)));
  processes.push(...started);
}

async function call<T>(baseUrl: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(transformer.serialize(input)),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as {
    result?: { data: unknown };
    error?: { json: { message: string; data?: { httpStatus?: number } } };
  };
  if (!body.result)
    throw Object.assign(new Error(body.error?.json.message ?? `HTTP ${response.status}`), { status: response.status });
  return transformer.deserialize(body.result.data as Parameters<typeof transformer.deserialize>[0]);
}

function readAll<T>(name: Name, sql: string): T[] {
  const db = new Database(slots[name].file, { readonly: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const names: Name[] = ["user", "product", "inventory", "payment", "email", "order"];
  const created = await Promise.all(names.map((name) => ServiceSlot.create(name)));
  slots = Object.fromEntries(names.map((name, i) => [name, created[i]!])) as Record<Name, ServiceSlot>;
  const ports = new Map<Name, number[]>();
  for (const name of names) {
    const extra = (replicated as readonly string[]).includes(name) ? [await freePort()] : [];
    ports.set(name, [slots[name].port, ...extra]);
    urls.set(
      name,
      ports.get(name)!.map((port) => `http://127.0.0.1:${port}`),
    );
  }
  await Promise.all([
    startAll("user", {}, ports.get("user")!),
    startAll("product", {}, ports.get("product")!),
    startAll("inventory", {}, ports.get("inventory")!),
  ]);
  // A charge takes long enough for both replicas' work to overlap on the one file.
  await startAll("payment", { PAYMENT_LATENCY_MS: "200", PAYMENT_SETTLE_POLL_MS: "500" }, ports.get("payment")!);
  await startAll("email", { ...addresses("user"), OUTBOX_POLL_MS: "100" }, ports.get("email")!);
  await startAll(
    "order",
    {
      ...addresses("user", "product", "inventory", "payment", "email"),
      RECOVERY_POLL_MS: "100",
      SAGA_STALE_MS: "10000",
      PAYMENT_TIMEOUT_MS: "10000",
    },
    ports.get("order")!,
  );
}, 240_000);

afterAll(() => {
  for (const process of processes) process.signal("SIGKILL");
  for (const slot of Object.values(slots ?? {})) slot.remove();
});

const address = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" };
const cards = { ok: "4242 4242 4242 4242", declined: "4000 0000 0000 0002" };

interface OrderView {
  readonly id: string;
  readonly status: string;
}

/** One checkout attempt, as the browser makes it: one key, retried on the other replica while no answer comes back. */
async function checkout(sessionToken: string, attempt: number, productId: string, card: string): Promise<OrderView> {
  const input = {
    checkoutKey: `replicas_${randomUUID()}`,
    sessionToken,
    shippingAddress: address,
    items: [{ productId, quantity: 1 }],
    card: { number: card, expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada Lovelace" },
  };
  const orders = urls.get("order")!;
  let lastError: unknown;
  for (let retry = 0; retry < 4; retry++) {
    try {
      return await call<OrderView>(orders[(attempt + retry) % orders.length]!, "orders.place", input);
    } catch (error) {
      const status = (error as { status?: number }).status;
      // An answer (a refusal) is final; only a lost one is retried, with the same key.
      if (status !== undefined && status < 500) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

it(
  "two replicas each of order, payment and email on their shared files: zero invariant violations",
  { timeout: 240_000 },
  async () => {
    const shoppers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call<{ session: { token: string } }>(urls.get("user")![0]!, "auth.signUp", {
          email: `replica-shopper-${i}-${randomUUID()}@example.com`,
          password: "correct horse battery",
          name: `Shopper ${i}`,
        }),
      ),
    );
    const products = ["prod_enamel-kettle", "prod_linen-apron"];
    const outcomes = await Promise.all(
      shoppers.map(async ({ session }, shopper) => {
        const placed: string[] = [];
        for (let attempt = 0; attempt < 8; attempt++) {
          const card = (shopper + attempt) % 5 === 0 ? cards.declined : cards.ok;
          const order = await checkout(
            session.token,
            shopper + attempt,
            products[(shopper + attempt) % products.length]!,
            card,
          ).catch((error: unknown) => ({ id: "", status: `refused: ${error instanceof Error ? error.message : String(error)}` }));
          placed.push(order.status);
        }
        return placed;
      }),
    );
    const statuses = outcomes.flat();
    expect(statuses.filter((status) => status !== "paid" && status !== "failed")).toEqual([]);
    expect(statuses.filter((status) => status === "paid").length).toBeGreaterThan(0);

    // Recovery settles on both replicas: no saga midway, both outboxes drained.
    await eventually(
      "every saga settled and every email sent",
      () => {
        const open = readAll<{ n: number }>(
          "order",
          `SELECT count(*) AS n FROM "Order" WHERE status NOT IN ('paid', 'failed') OR emailStatus = 'pending'`,
        )[0]!.n;
        const unsent = readAll<{ n: number }>("email", `SELECT count(*) AS n FROM "EmailMessage" WHERE status <> 'sent'`)[0]!.n;
        return open === 0 && unsent === 0 ? true : undefined;
      },
      60_000,
    );
    const snapshot = readSnapshotFiles({
      order: slots.order.file,
      inventory: slots.inventory.file,
      payment: slots.payment.file,
      email: slots.email.file,
    });
    const violations = runInvariants(snapshot, seedFacts()).flatMap((result) =>
      result.violations.map((violation) => `${result.name}: ${violation}`),
    );
    expect(violations).toEqual([]);
  },
);
