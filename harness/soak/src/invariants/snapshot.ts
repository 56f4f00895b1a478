/**
 * Everything the invariants need, read straight from each service's SQLite file (read-only). The
 * soak is a test tool, not a service: reading the tables is how it sees what really happened,
 * beneath every API.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export interface OrderRow {
  readonly id: string;
  readonly checkoutKey: string;
  /** The buyer's account email: a soak shopper's account is new for its one checkout attempt. */
  readonly email: string;
  readonly status: string;
  readonly totalMinor: number;
  readonly paymentId: string | null;
  readonly emailStatus: string;
  readonly updatedAt: number;
}
export interface OrderLineRow {
  readonly orderId: string;
  readonly productId: string;
  readonly quantity: number;
}
export interface OrderOutboxRow {
  readonly orderId: string;
  readonly kind: string;
  readonly status: string;
  readonly attempts: number;
}
export interface StockRow {
  readonly productId: string;
  readonly onHand: number;
  readonly reserved: number;
}
export interface ReservationRow {
  readonly orderId: string;
  readonly status: string;
}
export interface ReservationLineRow {
  readonly orderId: string;
  readonly productId: string;
  readonly quantity: number;
}
export interface PaymentRow {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly amountMinor: number;
  readonly description: string | null;
  readonly status: string;
  readonly refundedMinor: number;
}
export interface RefundRow {
  readonly id: string;
  readonly paymentId: string;
  readonly amountMinor: number;
}
export interface EmailRow {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly template: string;
  readonly status: string;
}

export interface Snapshot {
  readonly orders: readonly OrderRow[];
  readonly orderLines: readonly OrderLineRow[];
  readonly orderOutbox: readonly OrderOutboxRow[];
  readonly stock: readonly StockRow[];
  readonly reservations: readonly ReservationRow[];
  readonly reservationLines: readonly ReservationLineRow[];
  readonly payments: readonly PaymentRow[];
  readonly refunds: readonly RefundRow[];
  readonly emails: readonly EmailRow[];
}

/** The four databases the invariants span, as `<dataDir>/<service>.db` (the supervisor's layout). */
export const snapshotServices = ["order", "inventory", "payment", "email"] as const;

/** Prisma keeps DateTime in SQLite as epoch milliseconds or as ISO text depending on the writer. */
function toEpochMs(value: unknown): number {
  if (typeof value === "number" || typeof value === "bigint") return Number(value);
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.NaN;
}

function readAll<T>(file: string, queries: (db: Database.Database) => T): T {
  if (!existsSync(file)) throw new Error(`No database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return queries(db);
  } finally {
    db.close();
  }
}

export type SnapshotFiles = Readonly<Record<(typeof snapshotServices)[number], string>>;

/** A data directory as the supervisor lays it out: `<dataDir>/<service>.db`. */
export function dataDirFiles(dataDir: string): SnapshotFiles {
  return {
    order: path.join(dataDir, "order.db"),
    inventory: path.join(dataDir, "inventory.db"),
    payment: path.join(dataDir, "payment.db"),
    email: path.join(dataDir, "email.db"),
  };
}

export function readSnapshot(dataDir: string): Snapshot {
  return readSnapshotFiles(dataDirFiles(dataDir));
}

export function readSnapshotFiles(files: SnapshotFiles): Snapshot {
  const file = (service: (typeof snapshotServices)[number]) => files[service];
  const order = readAll(file("order"), (db) => ({
    orders: db
      .prepare<[], Omit<OrderRow, "updatedAt"> & { updatedAt: unknown }>(
        `SELECT id, checkoutKey, email, status, totalMinor, paymentId, emailStatus, updatedAt FROM "Order"`,
      )
      .all()
      .map((row) => ({ ...row, updatedAt: toEpochMs(row.updatedAt) })),
    orderLines: db.prepare<[], OrderLineRow>(`SELECT orderId, productId, quantity FROM "OrderLine"`).all(),
    orderOutbox: db.prepare<[], OrderOutboxRow>(`SELECT orderId, kind, status, attempts FROM "OrderOutbox"`).all(),
  }));
  const inventory = readAll(file("inventory"), (db) => ({
    stock: db.prepare<[], StockRow>(`SELECT productId, onHand, reserved FROM "StockItem"`).all(),
    reservations: db.prepare<[], ReservationRow>(`SELECT orderId, status FROM "Reservation"`).all(),
    reservationLines: db.prepare<[], ReservationLineRow>(`SELECT orderId, productId, quantity FROM "ReservationLine"`).all(),
  }));
  const payment = readAll(file("payment"), (db) => ({
    payments: db
      .prepare<[], PaymentRow>(`SELECT id, idempotencyKey, amountMinor, description, status, refundedMinor FROM "Payment"`)
      .all(),
    refunds: db.prepare<[], RefundRow>(`SELECT id, paymentId, amountMinor FROM "Refund"`).all(),
  }));
  const email = readAll(file("email"), (db) => ({
    emails: db.prepare<[], EmailRow>(`SELECT id, idempotencyKey, template, status FROM "EmailMessage"`).all(),
  }));
  return { ...order, ...inventory, ...payment, ...email };
}
