/**
 * Durability (b): work in flight survives SIGKILL of the process doing it. Real service processes
 * (built code) on their own databases: the order saga cut mid-charge finishes after a restart, the
 * order's confirmation outbox hands over its email exactly once after both order and email were
 * killed, and the email outbox sends a message whose delivery was cut. Afterwards the soak's own
 * invariant checker reads the four databases. The order service reaches payment through a proxy
 * that can hold the charge on its way, so each cut lands at its point however busy the machine.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { freePort } from "@microshop/supervisor/ports";
import { serviceUrlsEnvName } from "@microshop/topology";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runInvariants, seedFacts } from "../invariants/checker";
import { readSnapshotFiles } from "../invariants/snapshot";
import { HoldingProxy, type HeldCall } from "./holding-proxy";
import { eventually, killHard, ServiceSlot, type ServiceProcess } from "./service-process";
import { createServer, type Server } from "node:net";

let slots: Record<"user" | "product" | "inventory" | "payment" | "email" | "order", ServiceSlot>;
const running = new Map<string, ServiceProcess>();

async function start(name: keyof typeof slots, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const process = await slots[name].start(env);
  running.set(name, process);
  return process;
}

/** SIGKILL, if it runs (a failed test before may have left it down). */
async function kill(name: keyof typeof slots): Promise<void> {
  const process = running.get(name);
  if (!process) return;
  await killHard(process);
  running.delete(name);
}

/** tRPC over HTTP, as any caller does; resolves with the data or rejects with the error's message. */
async function call<T>(name: keyof typeof slots, procedure: string, input: unknown, method: "GET" | "POST" = "POST"): Promise<T> {
  const serialized = JSON.stringify(transformer.serialize(input));
  const base = `${slots[name].url}/trpc/${procedure}`;
  const response = await fetch(method === "GET" ? `${base}?input=${encodeURIComponent(serialized)}` : base, {
    method,
    headers: { "content-type": "application/json" },
    ...(method === "POST" ? { body: serialized } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { result?: { data: unknown }; error?: { json: { message: string } } };
  if (!body.result) throw new Error(body.error?.json.message ?? `HTTP ${response.status}`);
  return transformer.deserialize(body.result.data as Parameters<typeof transformer.deserialize>[0]);
}

function readOne<T>(name: keyof typeof slots, sql: string, ...params: unknown[]): T | undefined {
  const db = new Database(slots[name].file, { readonly: true });
  try {
    return db.prepare<unknown[], T>(sql).get(...params);
  } finally {
    db.close();
  }
}

function invariantViolations(): string[] {
  const snapshot = readSnapshotFiles({
    order: slots.order.file,
    inventory: slots.inventory.file,
    payment: slots.payment.file,
    email: slots.email.file,
  });
  return runInvariants(snapshot, seedFacts()).flatMap((result) =>
    result.violations.map((violation) => `${result.name}: ${violation}`),
  );
}

let sessionToken: string;
let paymentProxy: HoldingProxy;
const card = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada Lovelace" };
const address = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" };
const kettle = { productId: "prod_enamel-kettle", quantity: 1 };

function placeOrder(): Promise<{ id: string; status: string; failure: { code: string; message: string } | null }> {
  return call("order", "orders.place", {
    checkoutKey: `durable_${randomUUID()}`,
    sessionToken,
    shippingAddress: address,
    items: [kettle],
    card,
  });
}

beforeAll(async () => {
  const [user, product, inventory, payment, email, order] = await Promise.all(
    (["user", "product", "inventory", "payment", "email", "order"] as const).map((name) => ServiceSlot.create(name)),
  );
  slots = { user: user!, product: product!, inventory: inventory!, payment: payment!, email: email!, order: order! };
  await Promise.all([start("user"), start("product"), start("inventory"), start("payment", defaultEnv("payment"))]);
  await start("email", defaultEnv("email"));
  paymentProxy = await HoldingProxy.start(slots.payment.url);
  await start("order", orderEnv());
  const signedUp = await call<{ session: { token: string } }>("user", "auth.signUp", {
    email: `durable-${randomUUID()}@example.com`,
    password: "correct horse battery",
    name: "Ada Lovelace",
  });
  sessionToken = signedUp.session.token;
  // Six migrations and six processes: on a busy 2-core machine, more than the default minute.
});

/** Each test starts from the whole set running as beforeAll left it, whatever the test before did. */
beforeEach(async () => {
  for (const name of ["user", "product", "inventory", "payment", "email", "order"] as const) {
    if (!running.has(name)) await start(name, defaultEnv(name));
  }
});

afterAll(() => {
  paymentProxy?.close();
  for (const process of running.values()) process.signal("SIGKILL");
  for (const slot of Object.values(slots ?? {})) slot.remove();
});

/** How beforeAll starts each service. */
function defaultEnv(name: keyof typeof slots): Record<string, string> {
  if (name === "payment") return { PAYMENT_LATENCY_MS: "1500" };
  if (name === "email") return slots.user.address;
  if (name === "order") return orderEnv();
  return {};
}

/**
 * Recovery looks for stalled sagas often and soon, so the test needs no long waits; but a saga
 * counts as stalled only well after a charge (1.5 s here) can take, as with the defaults. Payment
 * is reached through the proxy, so a test can hold a charge on its way.
 */
function orderEnv(): Record<string, string> {
  return {
    ...slots.user.address,
    ...slots.product.address,
    ...slots.inventory.address,
    [serviceUrlsEnvName("payment")]: `${paymentProxy.origin}/trpc`,
    ...slots.email.address,
    SAGA_STALE_MS: "4000",
    RECOVERY_POLL_MS: "200",
    PAYMENT_TIMEOUT_MS: "10000",
  };
}

/**
 * Places an order, holds its charge on the way to payment and kills the order service there: the
 * saga is left "charging", its caller without an answer, and the charge is the test's to release.
 */
async function killOrderWhileCharging(): Promise<{ charge: HeldCall; orderId: string }> {
  const charge = paymentProxy.hold("payments.charge");
  const placing = placeOrder().catch((error: unknown) => error);
  await charge.arrived;
  const orderId = readOne<{ id: string }>("order", `SELECT id FROM "Order" WHERE status = 'charging'`)?.id;
  if (!orderId) throw new Error("The held charge belongs to no order in charging");
  await kill("order");
  // The caller lost its answer with the process.
  expect(await placing).toBeInstanceOf(Error);
  return { charge, orderId };
}

describe("after SIGKILL", () => {
  it("the order saga cut mid-charge finishes after the restart: paid once, stock committed, one email", async () => {
    // Cut mid-charge: the charge has left the order service, which dies before any answer.
    const { charge, orderId } = await killOrderWhileCharging();
    // The charge reaches the processor after its caller died, and is taken.
    const charged = await charge.release();
    expect(charged.status).toBe(200);
    expect(readOne<{ status: string }>("order", `SELECT status FROM "Order" WHERE id = ?`, orderId)?.status).toBe("charging");

    // Recovery finds the saga stalled once its lease runs out, and the charge landed.
    await start("order", orderEnv());

    const settled = () =>
      readOne<{ status: string; emailStatus: string; failureCode: string | null }>(
        "order",
        `SELECT status, emailStatus, failureCode FROM "Order" WHERE id = ?`,
        orderId,
      );
    await eventually(
      "the order to be paid and its email sent",
      () => (settled()?.status === "paid" && settled()?.emailStatus === "sent" ? true : undefined),
      45_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; the order ended as ${JSON.stringify(settled())}`,
      );
    });
    await eventually("the confirmation to be delivered", () =>
      readOne(
        "email",
        `SELECT 1 AS one FROM "EmailMessage" WHERE idempotencyKey = ? AND status = 'sent'`,
        `order-confirmation:${orderId}`,
      )
        ? true
        : undefined,
    );
    expect(
      readOne<{ charges: number }>(
        "payment",
        `SELECT count(*) AS charges FROM "Payment" WHERE idempotencyKey = ? AND status = 'succeeded'`,
        orderId,
      )?.charges,
    ).toBe(1);
    expect(readOne<{ status: string }>("inventory", `SELECT status FROM "Reservation" WHERE orderId = ?`, orderId)?.status).toBe(
      "committed",
    );
    expect(invariantViolations()).toEqual([]);
  });

  it("a saga cut before its charge landed is undone, and the charge arriving later is refused", async () => {
    // Cut before the charge reached the processor: it is still held on its way.
    const { charge, orderId } = await killOrderWhileCharging();
    await start("order", orderEnv());

    const failure = await eventually(
      "the order to be undone",
      () =>
        readOne<{ failureCode: string }>("order", `SELECT failureCode FROM "Order" WHERE id = ? AND status = 'failed'`, orderId)
          ?.failureCode,
    );
    expect(failure).toBe("interrupted");
    expect(readOne<{ status: string }>("inventory", `SELECT status FROM "Reservation" WHERE orderId = ?`, orderId)?.status).toBe(
      "released",
    );
    // The held charge arrives now and finds its key voided: refused, nothing taken.
    const late = await charge.release();
    expect([late.status, late.body]).toEqual([412, expect.stringContaining("PRECONDITION_FAILED")]);
    expect(
      readOne<{ status: string; amountMinor: number }>(
        "payment",
        `SELECT status, amountMinor FROM "Payment" WHERE idempotencyKey = ?`,
        orderId,
      ),
    ).toEqual({ status: "voided", amountMinor: 0 });
    expect(invariantViolations()).toEqual([]);
  });

  it("the confirmation outbox hands over its email exactly once after order and email were both killed", async () => {
    await kill("email");
    const order = await placeOrder();
    expect([order.status, order.failure]).toEqual(["paid", null]);
    // Paid, the email service away: the confirmation waits in the order's outbox.
    expect(readOne<{ status: string }>("order", `SELECT status FROM "OrderOutbox" WHERE orderId = ?`, order.id)?.status).toBe(
      "pending",
    );
    await kill("order");

    await start("email", slots.user.address);
    await start("order", orderEnv());

    await eventually("the outbox entry to be done", () =>
      readOne<{ status: string }>("order", `SELECT status FROM "OrderOutbox" WHERE orderId = ?`, order.id)?.status === "done"
        ? true
        : undefined,
    );
    await eventually("the confirmation to be delivered", () =>
      readOne(
        "email",
        `SELECT 1 AS one FROM "EmailMessage" WHERE idempotencyKey = ? AND status = 'sent'`,
        `order-confirmation:${order.id}`,
      )
        ? true
        : undefined,
    );
    expect(invariantViolations()).toEqual([]);
  });

  it("the email outbox sends a message whose delivery was cut, once it finds the claim abandoned", async () => {
    // An SMTP server that accepts connections and never speaks: delivery hangs mid-send.
    const silent: Server = createServer(() => undefined);
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => silent.listen(smtpPort, "127.0.0.1", resolve));
    try {
      await kill("email");
      await start("email", { ...slots.user.address, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, OUTBOX_LEASE_MS: "1000" });
      const key = `welcome:${randomUUID()}`;
      await call("email", "emails.send", {
        idempotencyKey: key,
        to: { email: "ada@example.com", name: "Ada" },
        template: "welcome",
        data: { name: "Ada" },
      });
      await eventually("the message to be claimed for sending", () =>
        readOne<{ status: string }>("email", `SELECT status FROM "EmailMessage" WHERE idempotencyKey = ?`, key)?.status ===
        "sending"
          ? true
          : undefined,
      );
      await kill("email");

      await start("email", { ...slots.user.address, OUTBOX_LEASE_MS: "1000" });

      const delivered = await eventually("the message to be sent", () =>
        readOne<{ status: string; attempts: number }>(
          "email",
          `SELECT status, attempts FROM "EmailMessage" WHERE idempotencyKey = ? AND status = 'sent'`,
          key,
        ),
      );
      expect(delivered).toEqual({ status: "sent", attempts: 1 });
      expect(
        readOne<{ copies: number }>("email", `SELECT count(*) AS copies FROM "EmailMessage" WHERE idempotencyKey = ?`, key)
          ?.copies,
      ).toBe(1);
    } finally {
      silent.close();
    }
  });
});
