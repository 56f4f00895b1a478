/**
 * Small hand-made stacks for the checker's tests: the four databases built from the services' own
 * migrations, filled with exactly the rows a test describes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { services } from "@microshop/topology";
import Database from "better-sqlite3";
import { findRepoRoot } from "../config";
import { snapshotServices } from "./snapshot";

type Service = (typeof snapshotServices)[number];

function migrationSql(service: Service): string {
  const dir = path.join(findRepoRoot(), services[service].folder, "prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8"))
    .join("\n");
}

export interface HandMadeStack {
  readonly dataDir: string;
  readonly db: Record<Service, Database.Database>;
  /** Closes every handle; the checker then reads the files as it reads a real stack's. */
  close(): void;
  remove(): void;
}

/** `withoutOversellGuard`: the inventory schema minus its CHECK, so that a test can store negative stock. */
export function createHandMadeStack(options: { withoutOversellGuard?: boolean } = {}): HandMadeStack {
  const dataDir = mkdtempSync(path.join(tmpdir(), "microshop-soak-check-"));
  const db = Object.fromEntries(
    snapshotServices.map((service) => {
      const handle = new Database(path.join(dataDir, `${service}.db`));
      let sql = migrationSql(service);
      if (service === "inventory" && options.withoutOversellGuard)
        sql = sql.replace(/,\s*--[^\n]*\n\s*CONSTRAINT "StockItem_no_oversell" CHECK \([^\n]*\)\n/, "\n");
      handle.exec(sql);
      return [service, handle];
    }),
  ) as Record<Service, Database.Database>;
  const close = () => {
    for (const handle of Object.values(db)) if (handle.open) handle.close();
  };
  return { dataDir, db, close, remove: () => (close(), rmSync(dataDir, { recursive: true, force: true })) };
}

const now = "2026-11-24T12:00:00.000Z";

export function insertStock(stack: HandMadeStack, productId: string, onHand: number, reserved = 0): void {
  stack.db.inventory
    .prepare(`INSERT INTO "StockItem" (productId, onHand, reserved, updatedAt) VALUES (?, ?, ?, ?)`)
    .run(productId, onHand, reserved, now);
}

export function insertReservation(stack: HandMadeStack, orderId: string, status: string, lines: Record<string, number>): void {
  stack.db.inventory
    .prepare(`INSERT INTO "Reservation" (orderId, status, expiresAt, updatedAt) VALUES (?, ?, ?, ?)`)
    .run(orderId, status, now, now);
  for (const [productId, quantity] of Object.entries(lines)) {
    stack.db.inventory
      .prepare(`INSERT INTO "ReservationLine" (orderId, productId, quantity) VALUES (?, ?, ?)`)
      .run(orderId, productId, quantity);
  }
}

export function insertOrder(
  stack: HandMadeStack,
  order: {
    id: string;
    status: string;
    lines: Record<string, { quantity: number; unitPriceMinor: number }>;
    paymentId?: string;
    emailStatus?: string;
    checkoutKey?: string;
    email?: string;
  },
): number {
  const totalMinor = Object.values(order.lines).reduce((total, line) => total + line.quantity * line.unitPriceMinor, 0);
  stack.db.order
    .prepare(
      `INSERT INTO "Order" (id, checkoutKey, userId, email, customerName, shippingAddress, status, totalMinor, currency, paymentId, emailStatus, updatedAt)
       VALUES (?, ?, 'u1', ?, 'Ada', '{}', ?, ?, 'USD', ?, ?, ?)`,
    )
    .run(
      order.id,
      order.checkoutKey ?? `key-${order.id}`,
      order.email ?? "ada@example.com",
      order.status,
      totalMinor,
      order.paymentId ?? null,
      order.emailStatus ?? "none",
      Date.parse(now),
    );
  for (const [productId, line] of Object.entries(order.lines)) {
    stack.db.order
      .prepare(`INSERT INTO "OrderLine" (orderId, productId, name, unitPriceMinor, quantity) VALUES (?, ?, ?, ?, ?)`)
      .run(order.id, productId, productId, line.unitPriceMinor, line.quantity);
  }
  return totalMinor;
}

export function insertOutbox(stack: HandMadeStack, orderId: string, status: "pending" | "done"): void {
  stack.db.order
    .prepare(
      `INSERT INTO "OrderOutbox" (id, orderId, kind, status, attempts, nextAttemptAt) VALUES (?, ?, 'confirmation-email', ?, 1, ?)`,
    )
    .run(`ob-${orderId}`, orderId, status, now);
}

export function insertPayment(
  stack: HandMadeStack,
  payment: { id: string; key: string; amountMinor: number; status: string; refundedMinor?: number; description?: string },
): void {
  stack.db.payment
    .prepare(
      `INSERT INTO "Payment" (id, idempotencyKey, amountMinor, currency, description, brand, last4, status, refundedMinor, updatedAt)
       VALUES (?, ?, ?, 'USD', ?, 'visa', '4242', ?, ?, ?)`,
    )
    .run(
      payment.id,
      payment.key,
      payment.amountMinor,
      payment.description ?? `Microshop order ${payment.key}`,
      payment.status,
      payment.refundedMinor ?? 0,
      now,
    );
}

export function insertRefund(stack: HandMadeStack, paymentId: string, amountMinor: number): void {
  stack.db.payment
    .prepare(`INSERT INTO "Refund" (id, idempotencyKey, paymentId, amountMinor) VALUES (?, ?, ?, ?)`)
    .run(`ref-${paymentId}`, `refund:${paymentId}`, paymentId, amountMinor);
}

export function insertEmail(stack: HandMadeStack, key: string, status: string, template = "order-confirmation"): void {
  stack.db.email
    .prepare(
      `INSERT INTO "EmailMessage" (id, idempotencyKey, toEmail, template, subject, html, text, status, nextAttemptAt)
       VALUES (?, ?, 'ada@example.com', ?, 'Your order', '<p>hi</p>', 'hi', ?, ?)`,
    )
    .run(`em-${key}`, key, template, status, now);
}
