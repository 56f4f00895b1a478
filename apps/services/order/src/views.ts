import { z } from "zod";
import type { Prisma } from "./generated/prisma/client";

export const shippingAddressSchema = z.object({
  name: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code, like US or FR"),
});
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

export type OrderStatus = "reserving" | "charging" | "committing" | "paid" | "failed";

export const withLines = { lines: true } satisfies Prisma.OrderInclude;
export type OrderRow = Prisma.OrderGetPayload<{ include: typeof withLines }>;

/** A short number people can read out on the phone; the id stays the key. */
export function orderNumber(id: string): string {
  return `MS-${id.slice(-8).toUpperCase()}`;
}

export interface OrderView {
  readonly id: string;
  readonly number: string;
  readonly checkoutKey: string;
  readonly status: OrderStatus;
  readonly totalMinor: number;
  readonly currency: string;
  readonly createdAt: Date;
  readonly email: string;
  readonly customerName: string;
  readonly shippingAddress: ShippingAddress;
  readonly cardLast4: string | null;
  readonly emailStatus: string;
  readonly lines: Array<{ productId: string; name: string; unitPriceMinor: number; quantity: number }>;
  /** Why the order failed, in words for the shopper; null unless status is "failed". */
  readonly failure: { code: string; message: string } | null;
}

export function toView(row: OrderRow): OrderView {
  return {
    id: row.id,
    number: orderNumber(row.id),
    checkoutKey: row.checkoutKey,
    status: row.status as OrderStatus,
    totalMinor: row.totalMinor,
    currency: row.currency,
    createdAt: row.createdAt,
    email: row.email,
    customerName: row.customerName,
    shippingAddress: shippingAddressSchema.parse(row.shippingAddress),
    cardLast4: row.cardLast4,
    emailStatus: row.emailStatus,
    lines: row.lines.map(({ productId, name, unitPriceMinor, quantity }) => ({ productId, name, unitPriceMinor, quantity })),
    failure:
      row.status === "failed"
        ? { code: row.failureCode ?? "failed", message: row.failureMessage ?? "The order could not be completed." }
        : null,
  };
}
