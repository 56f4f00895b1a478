import path from "node:path";
import { emailService } from "@microshop/email-service/service";
import { inventoryService } from "@microshop/inventory-service/service";
import { paymentService } from "@microshop/payment-service/service";
import { productService } from "@microshop/product-service/service";
import { userService } from "@microshop/user-service/service";
import { fixtures, products } from "@microshop/seed-data/catalog";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { createServiceContext } from "@microshop/service-runtime/context";
import { hostService } from "@microshop/service-runtime/host";
import type { ServiceDefinition } from "@microshop/service-runtime/service";
import { createTestDatabase, type TestDatabase } from "@microshop/service-runtime/testing";
import type { ServiceName } from "@microshop/topology";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { orderConfigSchema } from "./config";
import { openDb, type Db } from "./db";
import { createDownstream } from "./downstream";
import { drainOutbox, resumeStale } from "./recovery";
import { appRouter } from "./router/root";
import { createCallerFactory, type Context } from "./trpc";

// The real product, inventory, payment and email services run in this process through the
// monolith's local link, each on its own test database: the saga meets the code it will call.
const servicesDir = path.resolve(import.meta.dirname, "..", "..");
const logger = pino({ level: "silent" });
const databases: TestDatabase[] = [];
const running = new Map<ServiceName, { close(): Promise<void> }>();
// In dependency order: email asks the user service whose inbox a session opens.
const definitions = {
  user: userService,
  product: productService,
  inventory: inventoryService,
  payment: paymentService,
  email: emailService,
} as const;
const serviceEnv = { PAYMENT_SLOW_CARD_DELAY_MS: "3000", OUTBOX_POLL_MS: "600000", RESERVATION_SWEEP_MS: "600000" };
// A service stopped here does not answer: nothing listens on port 9.
const resolver = createServiceResolver(
  Object.fromEntries(Object.keys(definitions).map((name) => [`${name.toUpperCase()}_SERVICE_URLS`, "http://127.0.0.1:9/trpc"])),
);
const { client } = createServiceContext("order", { env: {}, logger, resolver });
let db: Db;
const clock = { now: new Date() };

async function startLocal(name: keyof typeof definitions): Promise<void> {
  const definition: ServiceDefinition = definitions[name];
  const database = await createTestDatabase(path.join(servicesDir, name), `order-${name}`);
  databases.push(database);
  running.set(name, await hostService(definition, { env: { ...serviceEnv, DATABASE_URL: database.url }, logger, resolver }));
}

async function stopLocal(name: keyof typeof definitions): Promise<void> {
  resolver.unhost(name);
  await running.get(name)?.close();
  running.delete(name);
}

/** A context as the service builds it. */
function context(overrides: Record<string, string> = {}): Context {
  const config = orderConfigSchema.parse({
    // Budgets, not assertions: the services answer in-process, but a loaded 2-core machine (or a
    // Postgres cluster's first queries) can hold an answer for seconds. Services that are down fail
    // at once; the one test about a payment slower than its timeout sets a short one of its own.
    PAYMENT_TIMEOUT_MS: "30000",
    DOWNSTREAM_TIMEOUT_MS: "30000",
    CHECKOUT_LIMIT_PER_ACCOUNT: "1000",
    ...overrides,
  });
  return {
    db,
    logger,
    downstream: createDownstream(client, config),
    now: () => clock.now,
    kick: () => undefined,
    paymentAttempts: config.PAYMENT_ATTEMPTS,
    checkoutLimit: { perAccount: config.CHECKOUT_LIMIT_PER_ACCOUNT, windowMs: config.CHECKOUT_LIMIT_WINDOW_MS },
    leaseOwner: "order-test",
    sagaLeaseMs: config.SAGA_STALE_MS,
  };
}
const createCaller = createCallerFactory(appRouter);
const caller = (overrides?: Record<string, string>) => createCaller(context(overrides));
const downstream = () => context().downstream;

const kettle = products.find((p) => p.slug === fixtures.inStockSlug)!;
const apron = products.find((p) => p.slug === fixtures.lowStockSlug)!;
const cards = { ok: "4242 4242 4242 4242", declined: "4000 0000 0000 0002", slow: "4000 0000 0000 6975" } as const;
let checkout = 0;
/** Real sessions from the real user service, one per shopper name. */
const sessions = new Map<string, { token: string; id: string }>();
async function shopper(name: string) {
  let session = sessions.get(name);
  if (!session) {
    const signedUp = await downstream().users.auth.signUp.mutate({
      email: `${name}@example.com`,
      password: "correct horse battery",
      name,
    });
    session = { token: signedUp.session.token, id: signedUp.user.id };
    sessions.set(name, session);
  }
  return session;
}
function order(
  overrides: {
    card?: string;
    items?: Array<{ productId: string; quantity: number }>;
    userId?: string;
    checkoutKey?: string;
  } = {},
) {
  checkout += 1;
  const session = sessions.get(overrides.userId ?? "user-a");
  if (!session) throw new Error("call shopper() first");
  return {
    checkoutKey: overrides.checkoutKey ?? `checkout-${checkout}-${Date.now()}`,
    sessionToken: session.token,
    shippingAddress: {
      name: "Ada Lovelace",
      line1: "12 St James's Square",
      city: "London",
      postalCode: "SW1Y 4JH",
      country: "GB",
    },
    items: overrides.items ?? [{ productId: kettle.id, quantity: 2 }],
    card: { number: overrides.card ?? cards.ok, expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada Lovelace" },
  };
}
const available = async (productId: string) => (await downstream().inventory.stock.level.query({ productId })).available;
const ledger = () => downstream().payment.payments.ledger.query();

beforeAll(async () => {
  const names = Object.keys(definitions) as Array<keyof typeof definitions>;
  // Migrate every service's template database at once (the Prisma CLI waits on I/O as much as on
  // the CPU); the services themselves then start in dependency order.
  await Promise.all(
    [
      ...names.map((name) => createTestDatabase(path.join(servicesDir, name), "warm-up")),
      createTestDatabase(path.resolve(import.meta.dirname, ".."), "warm-up"),
    ].map((warmUp) => warmUp.then((database) => database.remove())),
  );
  for (const name of names) await startLocal(name);
  const database = await createTestDatabase(path.resolve(import.meta.dirname, ".."), "order");
  databases.push(database);
  db = await openDb(database.url);
});

afterAll(async () => {
  for (const name of [...running.keys()]) await stopLocal(name as keyof typeof definitions);
  await db.$disconnect();
  for (const database of databases) database.remove();
});

beforeEach(async () => {
  clock.now = new Date();
  for (const name of ["user-a", "user-email", "owner", "someone-else"]) await shopper(name);
});

describe("checkout", () => {
  it("reserves, charges, commits, and emails exactly once", async () => {
    const before = { stock: await available(kettle.id), ledger: await ledger() };
    const placed = await caller().orders.place(order());
    expect(placed).toMatchObject({
      status: "paid",
      totalMinor: 2 * kettle.priceMinor,
      cardLast4: "4242",
      failure: null,
      emailStatus: "pending",
      email: "user-a@example.com",
    });
    expect(await available(kettle.id)).toBe(before.stock - 2);
    expect((await ledger()).chargedMinor - before.ledger.chargedMinor).toBe(2 * kettle.priceMinor);

    expect(await drainOutbox(context())).toBe(1);
    expect(await drainOutbox(context())).toBe(0);
    const inbox = await downstream().email.inbox.list.query({ sessionToken: (await shopper("user-a")).token });
    expect(inbox.filter((message) => message.idempotencyKey === `order-confirmation:${placed.id}`)).toHaveLength(1);
    expect((await caller().orders.get({ sessionToken: (await shopper("user-a")).token, orderId: placed.id })).emailStatus).toBe(
      "sent",
    );
  });

  it("a declined card fails clearly, charges nothing and gives the stock back", async () => {
    const before = { stock: await available(kettle.id), ledger: await ledger() };
    const placed = await caller().orders.place(order({ card: cards.declined }));
    expect(placed).toMatchObject({ status: "failed", failure: { code: "payment_declined", message: "Your card was declined." } });
    expect(await available(kettle.id)).toBe(before.stock);
    expect(await ledger()).toEqual(before.ledger);
  });

  it("too few in stock fails before any charge, naming the product", async () => {
    const before = await ledger();
    const placed = await caller().orders.place(order({ items: [{ productId: apron.id, quantity: apron.initialStock + 1 }] }));
    expect(placed.failure).toEqual({
      code: "out_of_stock",
      message: `Only ${apron.initialStock} left of ${apron.name} (asked for ${apron.initialStock + 1})`,
    });
    expect(await ledger()).toEqual(before);
  });

  it("a checkout submitted twice at once makes one order and one charge", async () => {
    const before = await ledger();
    const request = order();
    const [first, second] = await Promise.all([caller().orders.place(request), caller().orders.place(request)]);
    expect(second.id).toBe(first.id);
    expect(first.status).toBe("paid");
    expect((await ledger()).payments - before.payments).toBe(1);
    expect(await db.order.count({ where: { checkoutKey: request.checkoutKey } })).toBe(1);
  });

  it("a payment slower than the timeout is retried with the same key: paid once", async () => {
    const before = await ledger();
    // The payment service holds this card 3 s (PAYMENT_SLOW_CARD_DELAY_MS above): the first call gives
    // up after 2 s, the retry waits on the same key and gets the charge as it settles, a second after.
    // The margins are seconds, not milliseconds: on a loaded machine a Postgres round trip alone can
    // take a few hundred (a 250 ms budget once left this order "charging" in CI).
    const placed = await caller({ PAYMENT_TIMEOUT_MS: "2000" }).orders.place(order({ card: cards.slow }));
    expect(placed.status).toBe("paid");
    expect((await ledger()).payments - before.payments).toBe(1);
  });
});

/**
 * The look-ups of a checkout, each held until the others have been asked too: run one after the
 * other, the first would wait for a call that only starts once it answers, and give up after the
 * budget (a budget for a deadlock, not a measure of time). `log` records the order of events.
 */
function lookUpsMeeting(parties: readonly string[]) {
  const asked = new Set<string>();
  const log: string[] = [];
  return {
    log,
    async arrive(party: string): Promise<void> {
      log.push(`${party} asked`);
      asked.add(party);
      const deadline = Date.now() + 30_000;
      while (!parties.every((other) => asked.has(other))) {
        if (Date.now() > deadline) {
          const missing = parties.filter((other) => !asked.has(other)).join(", ");
          throw new Error(`${party} waited for ${missing} to be asked beside it: the look-ups ran one after the other`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** A context whose session and price look-ups meet (see `lookUpsMeeting`); the catalog fails after meeting when told to. */
function meetingContext(meeting: ReturnType<typeof lookUpsMeeting>, options: { catalogFails?: boolean } = {}): Context {
  const base = context();
  const answered = async <T>(party: string, call: () => Promise<T>): Promise<T> => {
    await meeting.arrive(party);
    try {
      return await call();
    } finally {
      meeting.log.push(`${party} answered`);
    }
  };
  // Only what `placeOrder` asks of these two clients is stood in for; the calls still reach the real services.
  const users = {
    sessions: {
      validate: {
        query: (input: { token: string }) => answered("session", () => base.downstream.users.sessions.validate.query(input)),
      },
    },
  } as unknown as Context["downstream"]["users"];
  const product = {
    catalog: {
      byIds: {
        query: (input: { ids: string[] }) =>
          answered("prices", () =>
            options.catalogFails
              ? Promise.reject(new Error("catalog unreachable"))
              : base.downstream.product.catalog.byIds.query(input),
          ),
      },
    },
  } as unknown as Context["downstream"]["product"];
  return { ...base, downstream: { ...base.downstream, users, product } };
}

describe("looking up a checkout", () => {
  it("asks who buys and the prices at once, then runs the saga as before", async () => {
    const meeting = lookUpsMeeting(["session", "prices"]);
    const before = { stock: await available(kettle.id), ledger: await ledger() };
    const placed = await createCaller(meetingContext(meeting)).orders.place(order());
    expect(placed.status).toBe("paid");
    // Both asked before either answered: neither waited for the other.
    expect(meeting.log.slice(0, 2).sort()).toEqual(["prices asked", "session asked"]);
    expect(await available(kettle.id)).toBe(before.stock - 2);
    expect((await ledger()).chargedMinor - before.ledger.chargedMinor).toBe(2 * kettle.priceMinor);
  });

  it("a look-up failing beside one that answered leaves no order, no hold and no charge", async () => {
    const meeting = lookUpsMeeting(["session", "prices"]);
    const before = { stock: await available(kettle.id), ledger: await ledger() };
    const request = order();
    await expect(createCaller(meetingContext(meeting, { catalogFails: true })).orders.place(request)).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: "We can't reach the catalog right now, so nothing was charged. Please try again.",
    });
    expect(meeting.log).toContain("session answered");
    expect(await db.order.count({ where: { checkoutKey: request.checkoutKey } })).toBe(0);
    expect(await available(kettle.id)).toBe(before.stock);
    expect(await ledger()).toEqual(before.ledger);
  });

  it("a session that ended is refused first, even with the prices in hand: no order", async () => {
    const meeting = lookUpsMeeting(["session", "prices"]);
    const request = { ...order(), sessionToken: "forged-session-token" };
    await expect(createCaller(meetingContext(meeting)).orders.place(request)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(meeting.log).toContain("prices answered");
    expect(await db.order.count({ where: { checkoutKey: request.checkoutKey } })).toBe(0);
  });

  it("a retry of a placed checkout is answered while the catalog is down", async () => {
    const request = order();
    const placed = await caller().orders.place(request);
    const meeting = lookUpsMeeting(["session", "prices"]);
    expect(await createCaller(meetingContext(meeting, { catalogFails: true })).orders.place(request)).toMatchObject({
      id: placed.id,
      status: "paid",
    });
  });
});

/**
 * A context whose record of the payment (the order's "committing" write) and commit of the stock
 * meet (see `lookUpsMeeting`); `beforeCommit` runs once both are under way, before the real commit.
 */
function completingContext(
  meeting: ReturnType<typeof lookUpsMeeting>,
  beforeCommit?: (orderId: string) => Promise<void>,
): Context {
  const base = context();
  const orders = new Proxy(db.order, {
    get(target, property, receiver) {
      if (property !== "update") return Reflect.get(target, property, receiver) as unknown;
      return async (args: Parameters<Db["order"]["update"]>[0]) => {
        if (args.data.status === "committing") await meeting.arrive("record payment");
        return target.update(args);
      };
    },
  });
  // Functions bound to the real client: Prisma's methods read its private state through `this`.
  const recording = new Proxy(db, {
    get(target, property) {
      if (property === "order") return orders;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const inventory = base.downstream.inventory;
  const commit = async (input: { orderId: string }) => {
    await meeting.arrive("commit stock");
    await beforeCommit?.(input.orderId);
    return inventory.reservations.commit.mutate(input);
  };
  // Only the commit is stood in for; every other inventory call goes to the real service.
  const standIn = new Proxy(inventory, {
    get(target, property) {
      if (property !== "reservations") return Reflect.get(target, property) as unknown;
      return new Proxy(target.reservations, {
        get(reservations, name) {
          return name === "commit" ? { mutate: commit } : (Reflect.get(reservations, name) as unknown);
        },
      });
    },
  });
  return { ...base, db: recording, downstream: { ...base.downstream, inventory: standIn } };
}

describe("completing a paid checkout", () => {
  it("records the payment while it commits the stock, then marks the order paid", async () => {
    const meeting = lookUpsMeeting(["record payment", "commit stock"]);
    const before = { stock: await available(kettle.id), ledger: await ledger() };
    const placed = await createCaller(completingContext(meeting)).orders.place(order());
    expect(placed).toMatchObject({ status: "paid", cardLast4: "4242" });
    expect(meeting.log.slice(0, 2).sort()).toEqual(["commit stock asked", "record payment asked"]);
    expect(await available(kettle.id)).toBe(before.stock - 2);
    expect((await ledger()).payments - before.ledger.payments).toBe(1);
  });

  it("a commit refused beside the record of the payment refunds in full and gives the stock back", async () => {
    const meeting = lookUpsMeeting(["record payment", "commit stock"]);
    const before = { stock: await available(kettle.id), ledger: await ledger() };
    // The hold is gone by the time the commit lands (expired and swept while the card was charged).
    const releaseFirst = (orderId: string) =>
      downstream()
        .inventory.reservations.release.mutate({ orderId })
        .then(() => undefined);
    const placed = await createCaller(completingContext(meeting, releaseFirst)).orders.place(order());
    expect(placed).toMatchObject({ status: "failed", failure: { code: "reservation_lost" }, cardLast4: "4242" });
    // The record of the payment landed beside the refused commit: the refund can be traced to its charge.
    expect((await db.order.findUniqueOrThrow({ where: { id: placed.id } })).paymentId).toMatch(/\S/);
    expect(await available(kettle.id)).toBe(before.stock);
    const after = await ledger();
    expect(after.chargedMinor - before.ledger.chargedMinor).toBe(placed.totalMinor);
    expect(after.refundedMinor - before.ledger.refundedMinor).toBe(placed.totalMinor);
  });
});

describe("checkout limits", () => {
  it("refuses an account's checkouts past the limit with the wait, but never a retry of one it started", async () => {
    await shopper("card-tester");
    const limited = () => caller({ CHECKOUT_LIMIT_PER_ACCOUNT: "2" });
    const before = await ledger();
    const first = order({ userId: "card-tester", card: cards.declined });
    await limited().orders.place(first);
    await limited().orders.place(order({ userId: "card-tester", card: cards.declined }));
    const refused = await limited()
      .orders.place(order({ userId: "card-tester", card: cards.declined }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/^Too many attempts; try again in 1[01] minutes\.$/) as unknown,
    });
    expect((await limited().orders.list({ sessionToken: (await shopper("card-tester")).token })).length).toBe(2);
    expect((await limited().orders.place(first)).failure?.code).toBe("payment_declined");
    // Another account has its own count.
    await shopper("bystander");
    expect((await limited().orders.place(order({ userId: "bystander" }))).status).toBe("paid");
    expect((await ledger()).chargedMinor - before.chargedMinor).toBe(2 * kettle.priceMinor);
  });
});

describe("checkout limits at once", () => {
  it("start at most the limit of checkouts when one account sends many at once", async () => {
    await shopper("burst-buyer");
    const limited = () => caller({ CHECKOUT_LIMIT_PER_ACCOUNT: "3" });
    const answers = await Promise.allSettled(
      Array.from({ length: 12 }, () => limited().orders.place(order({ userId: "burst-buyer", card: cards.declined }))),
    );
    expect(answers.filter((answer) => answer.status === "fulfilled")).toHaveLength(3);
    expect(
      answers.filter(
        (answer) => answer.status === "rejected" && (answer.reason as { code?: string }).code === "TOO_MANY_REQUESTS",
      ),
    ).toHaveLength(9);
    expect(await db.order.count({ where: { userId: (await shopper("burst-buyer")).id } })).toBe(3);
  });
});

describe("when a service is down", () => {
  it("inventory down: nothing charged, a clear message", async () => {
    const before = await ledger();
    await stopLocal("inventory");
    try {
      const placed = await caller().orders.place(order());
      expect(placed.failure?.code).toBe("inventory_unavailable");
      expect(placed.failure?.message).toMatch(/nothing was charged/);
    } finally {
      await startLocal("inventory");
    }
    expect(await ledger()).toEqual(before);
  });

  it("payment down: the order waits, then recovery undoes it and releases the stock", async () => {
    const stock = await available(kettle.id);
    await stopLocal("payment");
    let placed;
    try {
      placed = await caller().orders.place(order());
      expect(placed.status).toBe("charging");
      expect(await available(kettle.id)).toBe(stock - 2);
    } finally {
      await startLocal("payment");
    }
    clock.now = new Date(Date.now() + 60_000);
    expect(await resumeStale(context())).toBe(1);
    expect((await caller().orders.get({ sessionToken: (await shopper("user-a")).token, orderId: placed.id })).failure?.code).toBe(
      "interrupted",
    );
    expect(await available(kettle.id)).toBe(stock);
  });

  it("email down: the order completes and its email goes out once the service is back", async () => {
    const placed = await caller().orders.place(order({ userId: "user-email" }));
    expect(placed.status).toBe("paid");
    await stopLocal("email");
    try {
      expect(await drainOutbox(context())).toBe(0);
    } finally {
      await startLocal("email");
    }
    expect(await drainOutbox(context())).toBe(0);
    clock.now = new Date(Date.now() + 60_000);
    await drainOutbox(context());
    expect(await db.orderOutbox.findFirstOrThrow({ where: { orderId: placed.id } })).toMatchObject({
      status: "done",
      attempts: 2,
    });
    await drainOutbox(context());
    expect(await downstream().email.inbox.list.query({ sessionToken: (await shopper("user-email")).token })).toHaveLength(1);
  });
});

describe("recovery", () => {
  /** A replica of the order service: its own lease owner, and a log in which its resumed sagas can be counted. */
  function replica(owner: string, log: string[]): Context {
    return { ...context(), leaseOwner: owner, logger: pino({ level: "info" }, { write: (line: string) => void log.push(line) }) };
  }

  async function sagaCutByPaymentOutage() {
    await stopLocal("payment");
    try {
      const placed = await caller().orders.place(order());
      expect(placed.status).toBe("charging");
      return placed;
    } finally {
      await startLocal("payment");
    }
  }

  it("two replicas resuming at once: one claims the stale saga and undoes it, the other leaves it alone", async () => {
    const placed = await sagaCutByPaymentOutage();
    clock.now = new Date(Date.now() + 60_000);
    const log: string[] = [];
    await Promise.all([resumeStale(replica("replica-a", log)), resumeStale(replica("replica-b", log))]);
    const undone = log.filter((line) => line.includes(placed.id) && line.includes("order failed"));
    expect(undone).toHaveLength(1);
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.id } })).toMatchObject({
      status: "failed",
      failureCode: "interrupted",
    });
  });

  it("a replica starting up leaves alone a saga whose lease is still live (its checkout may be running elsewhere)", async () => {
    const placed = await sagaCutByPaymentOutage();
    await resumeStale(replica("just-started", []));
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.id } })).toMatchObject({
      status: "charging",
      leaseOwner: "order-test",
    });
    clock.now = new Date(Date.now() + 60_000);
    await resumeStale(replica("just-started", []));
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.id } })).toMatchObject({
      status: "failed",
      leaseOwner: "just-started",
    });
  });

  it("a charge that lands after recovery gave up on the order is refused: the shopper keeps their money", async () => {
    await stopLocal("payment");
    let placed;
    try {
      placed = await caller().orders.place(order());
      expect(placed.status).toBe("charging");
    } finally {
      await startLocal("payment");
    }
    clock.now = new Date(Date.now() + 60_000);
    expect(await resumeStale(context())).toBeGreaterThanOrEqual(1);
    const given = await caller().orders.get({ sessionToken: (await shopper("user-a")).token, orderId: placed.id });
    expect(given.failure?.code).toBe("interrupted");
    const before = await ledger();
    // The processor was still holding the first attempt when the order gave up; now it arrives.
    const late = await downstream()
      .payment.payments.charge.mutate({
        idempotencyKey: placed.id,
        amountMinor: placed.totalMinor,
        currency: "USD",
        card: { number: cards.ok, expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" },
      })
      .catch((error: unknown) => error);
    expect((late as { data?: { code?: string } }).data?.code).toBe("PRECONDITION_FAILED");
    expect(await ledger()).toEqual(before);
  });

  it("a crash after the stock was committed but before the payment was recorded is finished as paid, charged and committed once", async () => {
    const stock = await available(kettle.id);
    const placed = await sagaCutByPaymentOutage();
    // What `complete` leaves when the process dies between its two halves: charged, committed, still "charging".
    const before = await ledger();
    await downstream().payment.payments.charge.mutate({
      idempotencyKey: placed.id,
      amountMinor: placed.totalMinor,
      currency: "USD",
      card: { number: cards.ok, expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" },
    });
    await downstream().inventory.reservations.commit.mutate({ orderId: placed.id });
    clock.now = new Date(Date.now() + 60_000);
    expect(await resumeStale(context())).toBeGreaterThanOrEqual(1);
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.id } })).toMatchObject({ status: "paid", cardLast4: "4242" });
    expect(await available(kettle.id)).toBe(stock - 2);
    expect((await ledger()).payments - before.payments).toBe(1);
    expect(await db.orderOutbox.count({ where: { orderId: placed.id } })).toBe(1);
  });

  it("a hold that expired while the payment was in doubt is refunded in full, and the order fails", async () => {
    await stopLocal("payment");
    let placed;
    try {
      placed = await caller().orders.place(order());
      expect(placed.status).toBe("charging");
    } finally {
      await startLocal("payment");
    }
    // The charge did go through after all (the processor answered late) ...
    await downstream().payment.payments.charge.mutate({
      idempotencyKey: placed.id,
      amountMinor: placed.totalMinor,
      currency: "USD",
      card: { number: cards.ok, expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" },
    });
    // ... but meanwhile the stock hold was released (expired and swept).
    await downstream().inventory.reservations.release.mutate({ orderId: placed.id });
    const before = await ledger();
    clock.now = new Date(Date.now() + 60_000);
    expect(await resumeStale(context())).toBeGreaterThanOrEqual(1);
    const after = await caller().orders.get({ sessionToken: (await shopper("user-a")).token, orderId: placed.id });
    expect(after.failure?.code).toBe("reservation_lost");
    expect((await ledger()).refundedMinor - before.refundedMinor).toBe(placed.totalMinor);
  });
});

describe("order history", () => {
  it("belongs to its owner only, whoever calls the service", async () => {
    const owner = await shopper("owner");
    const intruder = await shopper("someone-else");
    const placed = await caller().orders.place(order({ userId: "owner" }));
    expect((await caller().orders.list({ sessionToken: owner.token })).map((o) => o.id)).toContain(placed.id);
    expect(await caller().orders.list({ sessionToken: intruder.token })).toEqual([]);
    await expect(caller().orders.get({ sessionToken: intruder.token, orderId: placed.id })).rejects.toThrow(
      "We couldn't find that order",
    );
    await expect(
      caller().orders.place({ ...order({ userId: "someone-else" }), checkoutKey: placed.checkoutKey }),
    ).rejects.toThrow(/someone else/);
    await expect(caller().orders.list({ sessionToken: "forged-session-token" })).rejects.toThrow("Your session has expired");
  });

  it("finds an attempt's order by its checkout key for its owner only", async () => {
    const owner = await shopper("owner");
    const intruder = await shopper("someone-else");
    const placed = await caller().orders.place(order({ userId: "owner" }));
    expect(await caller().orders.byCheckoutKey({ sessionToken: owner.token, checkoutKey: placed.checkoutKey })).toEqual(placed);
    const notFound = "No order was placed with this checkout key";
    await expect(
      caller().orders.byCheckoutKey({ sessionToken: intruder.token, checkoutKey: placed.checkoutKey }),
    ).rejects.toThrow(notFound);
    await expect(caller().orders.byCheckoutKey({ sessionToken: owner.token, checkoutKey: "never-used-key" })).rejects.toThrow(
      notFound,
    );
    await expect(
      caller().orders.byCheckoutKey({ sessionToken: "forged-session-token", checkoutKey: placed.checkoutKey }),
    ).rejects.toThrow("Your session has expired");
  });

  it("refuses an empty cart and a malformed address", async () => {
    await expect(caller().orders.place(order({ items: [] }))).rejects.toThrow(/Your cart is empty/);
    await expect(
      caller().orders.place({ ...order(), shippingAddress: { ...order().shippingAddress, country: "Britain" } }),
    ).rejects.toThrow(/two-letter/);
  });
});
