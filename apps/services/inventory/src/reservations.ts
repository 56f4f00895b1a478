import { TRPCError } from "@trpc/server";
import { writeTransaction, type Db, type Tx } from "./db";

export type ReservationStatus = "held" | "committed" | "released" | "expired";

export interface ReservationItem {
  readonly productId: string;
  readonly quantity: number;
}

export interface ReservationView {
  readonly orderId: string;
  readonly status: ReservationStatus;
  readonly expiresAt: Date;
  readonly items: ReservationItem[];
}

type ReservationRow = NonNullable<Awaited<ReturnType<typeof findReservation>>>;

function findReservation(tx: Tx, orderId: string) {
  return tx.reservation.findUnique({ where: { orderId }, include: { lines: true } });
}

function toView(row: ReservationRow): ReservationView {
  return {
    orderId: row.orderId,
    status: row.status as ReservationStatus,
    expiresAt: row.expiresAt,
    items: row.lines
      .map((line) => ({ productId: line.productId, quantity: line.quantity }))
      .sort((a, b) => a.productId.localeCompare(b.productId)),
  };
}

/** Adds up duplicate lines and sorts by product, so equal requests compare equal. */
export function normaliseItems(items: readonly ReservationItem[]): ReservationItem[] {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.productId, (totals.get(item.productId) ?? 0) + item.quantity);
  return [...totals]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => a.productId.localeCompare(b.productId));
}

function sameItems(a: readonly ReservationItem[], b: readonly ReservationItem[]): boolean {
  return a.length === b.length && a.every((item, i) => item.productId === b[i]?.productId && item.quantity === b[i]?.quantity);
}

/** Gives a held reservation's units back and marks it `status`. Caller holds the write lock. */
async function releaseUnits(tx: Tx, row: ReservationRow, status: "released" | "expired"): Promise<ReservationRow> {
  for (const line of row.lines) {
    await tx.$executeRaw`UPDATE "StockItem" SET "reserved" = "reserved" - ${line.quantity} WHERE "productId" = ${line.productId}`;
  }
  return tx.reservation.update({ where: { orderId: row.orderId }, data: { status }, include: { lines: true } });
}

/** Lazily expires a held reservation whose time is up, so every read sees the truth. */
async function current(tx: Tx, orderId: string, now: Date): Promise<ReservationRow | null> {
  const row = await findReservation(tx, orderId);
  if (row?.status === "held" && row.expiresAt <= now) return releaseUnits(tx, row, "expired");
  return row;
}

async function shortageMessage(tx: Tx, item: ReservationItem): Promise<string> {
  const stock = await tx.stockItem.findUnique({ where: { productId: item.productId } });
  const available = stock ? stock.onHand - stock.reserved : 0;
  return available === 0
    ? `${item.productId} is out of stock (asked for ${item.quantity})`
    : `Only ${available} left of ${item.productId} (asked for ${item.quantity})`;
}

/**
 * Holds stock for an order, all or nothing. Idempotent by order id: the same request again
 * returns the same reservation; a different request for the same order is a conflict.
 */
export function reserve(db: Db, input: { orderId: string; items: readonly ReservationItem[]; ttlSeconds: number }, now: Date) {
  const items = normaliseItems(input.items);
  return writeTransaction(db, async (tx) => {
    const existing = await current(tx, input.orderId, now);
    if (existing) {
      if (!sameItems(toView(existing).items, items)) {
        throw new TRPCError({
          code: "CONFLICT",
          message: `Order ${input.orderId} already has a different reservation (${existing.status})`,
        });
      }
      return toView(existing);
    }
    const known = await tx.stockItem.findMany({
      where: { productId: { in: items.map((item) => item.productId) } },
      select: { productId: true },
    });
    const unknown = items.find((item) => !known.some((stock) => stock.productId === item.productId));
    if (unknown) throw new TRPCError({ code: "NOT_FOUND", message: `No stock is kept for product ${unknown.productId}` });

    for (const item of items) {
      // The condition and the increment are one statement: no read-then-write gap to oversell in.
      const held = await tx.$executeRaw`
        UPDATE "StockItem" SET "reserved" = "reserved" + ${item.quantity}
        WHERE "productId" = ${item.productId} AND "onHand" - "reserved" >= ${item.quantity}`;
      if (held !== 1) throw new TRPCError({ code: "CONFLICT", message: await shortageMessage(tx, item) });
    }
    const row = await tx.reservation.create({
      data: {
        orderId: input.orderId,
        status: "held",
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
        lines: { create: items.map((item) => ({ productId: item.productId, quantity: item.quantity })) },
      },
      include: { lines: true },
    });
    return toView(row);
  });
}

/** Turns a held reservation into a sale: the units leave stock for good. Idempotent. */
export function commit(db: Db, orderId: string, now: Date) {
  return writeTransaction(db, async (tx) => {
    const row = await current(tx, orderId, now);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Order ${orderId} has no reservation` });
    if (row.status === "committed") return toView(row);
    if (row.status !== "held") {
      throw new TRPCError({
        code: "CONFLICT",
        message: `The reservation for order ${orderId} was ${row.status} and can no longer be committed`,
      });
    }
    for (const line of row.lines) {
      await tx.$executeRaw`
        UPDATE "StockItem" SET "onHand" = "onHand" - ${line.quantity}, "reserved" = "reserved" - ${line.quantity}
        WHERE "productId" = ${line.productId}`;
    }
    return toView(await tx.reservation.update({ where: { orderId }, data: { status: "committed" }, include: { lines: true } }));
  });
}

/**
 * Gives a reservation's units back. Idempotent, and safe to call for an order whose reserve never
 * arrived (a saga compensating after a timeout): it leaves a released, empty reservation so that a
 * late reserve for that order is refused instead of holding stock nobody will release.
 */
export function release(db: Db, orderId: string, now: Date) {
  return writeTransaction(db, async (tx) => {
    const row = await current(tx, orderId, now);
    if (!row) {
      return toView(
        await tx.reservation.create({ data: { orderId, status: "released", expiresAt: now }, include: { lines: true } }),
      );
    }
    if (row.status === "committed") {
      throw new TRPCError({
        code: "CONFLICT",
        message: `The reservation for order ${orderId} is already committed and cannot be released`,
      });
    }
    if (row.status !== "held") return toView(row);
    return toView(await releaseUnits(tx, row, "released"));
  });
}

export async function getReservation(db: Db, orderId: string, now: Date) {
  const row = await writeTransaction(db, (tx) => current(tx, orderId, now));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Order ${orderId} has no reservation` });
  return toView(row);
}

/** Releases every held reservation whose time is up; returns how many. Run by the sweeper. */
export async function expireDue(db: Db, now: Date): Promise<number> {
  const due = await db.reservation.findMany({ where: { status: "held", expiresAt: { lte: now } }, select: { orderId: true } });
  let expired = 0;
  for (const { orderId } of due) {
    await writeTransaction(db, async (tx) => {
      const row = await findReservation(tx, orderId);
      // Re-checked under the lock: a commit may have won the race since the query above.
      if (row?.status === "held" && row.expiresAt <= now) {
        await releaseUnits(tx, row, "expired");
        expired += 1;
      }
    });
  }
  return expired;
}
