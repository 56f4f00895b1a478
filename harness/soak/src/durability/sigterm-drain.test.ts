/**
 * Durability (a): a service that gets SIGTERM under concurrent load loses no request it accepted.
 * The payment service, with latency so that charges are mid-flight (some already claimed as
 * "processing", on the slow test card) when the signal lands. Afterwards the database and the
 * callers' answers must agree exactly: every charge answered is in the database, settled; every
 * charge in the database was answered; a caller that got no answer left no trace.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { transformer } from "@microshop/transformer";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ServiceSlot, type ServiceProcess } from "./service-process";

const callers = 12;
const cards = ["4242 4242 4242 4242", "4000 0000 0000 6975"];
let slot: ServiceSlot;
let payment: ServiceProcess;

beforeAll(async () => {
  slot = await ServiceSlot.create("payment", {
    PAYMENT_LATENCY_MS: "150",
    PAYMENT_SLOW_CARD_DELAY_MS: "300",
    SHUTDOWN_TIMEOUT_MS: "20000",
  });
  payment = await slot.start();
});
afterAll(() => {
  payment?.signal("SIGKILL");
  slot?.remove();
});

interface Answer {
  readonly key: string;
  /** "answered": an HTTP response with a body; "no answer": the connection was refused or closed first. */
  readonly kind: "answered" | "no answer";
  readonly status?: number;
  readonly paymentStatus?: string;
  readonly sentAt: number;
  readonly answeredAt: number;
}

async function charge(index: number): Promise<Answer> {
  const key = `drain-${randomUUID()}`;
  const input = {
    idempotencyKey: key,
    amountMinor: 1_000 + index,
    currency: "USD",
    card: { number: cards[index % 2], expMonth: 12, expYear: 2040, cvc: "123", holderName: "Ada" },
  };
  const sentAt = Date.now();
  try {
    const response = await fetch(`${slot.url}/trpc/payments.charge`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(transformer.serialize(input)),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { result?: { data: { json: { status: string } } } };
    return {
      key,
      kind: "answered",
      status: response.status,
      paymentStatus: body.result?.data.json.status ?? "none",
      sentAt,
      answeredAt: Date.now(),
    };
  } catch {
    return { key, kind: "no answer", sentAt, answeredAt: Date.now() };
  }
}

it("answers every request it accepted and keeps its effect when SIGTERM lands mid-load", async () => {
  const answers: Answer[] = [];
  let signalledAt = Number.POSITIVE_INFINITY;
  // Each caller charges again and again until the service stops answering.
  const loops = Array.from({ length: callers }, async (_, caller) => {
    for (let i = 0; ; i++) {
      const answer = await charge(caller * 1_000 + i);
      answers.push(answer);
      if (answer.kind === "no answer" || answer.sentAt > signalledAt) return;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  signalledAt = Date.now();
  payment.signal("SIGTERM");
  await Promise.all(loops);
  const exit = await payment.exited;

  const db = new Database(slot.file, { readonly: true });
  const rows = new Map(
    db
      .prepare<[], { idempotencyKey: string; status: string }>(`SELECT idempotencyKey, status FROM "Payment"`)
      .all()
      .map((row) => [row.idempotencyKey, row.status]),
  );
  db.close();

  const answered = answers.filter((answer) => answer.kind === "answered");
  const unanswered = answers.filter((answer) => answer.kind === "no answer");
  // The test means something only if requests were in flight when the signal came.
  expect(answered.filter((answer) => answer.sentAt < signalledAt && answer.answeredAt > signalledAt).length).toBeGreaterThan(0);
  expect(exit).toEqual({ code: 0, signal: null });
  // Every accepted request got a complete, successful answer, and its charge is in the database, settled.
  expect(answered.filter((answer) => answer.status !== 200 || answer.paymentStatus !== "succeeded")).toEqual([]);
  expect(answered.filter((answer) => rows.get(answer.key) !== "succeeded").map((answer) => answer.key)).toEqual([]);
  // Nothing happened that nobody was told about: no row without an answer, no row left processing.
  expect(unanswered.filter((answer) => rows.has(answer.key)).map((answer) => answer.key)).toEqual([]);
  expect(rows.size).toBe(answered.length);
});
