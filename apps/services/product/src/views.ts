import { z } from "zod";
import type { Prisma } from "./generated/prisma/client";

// Json columns come back as JsonValue; parse them so the API's types are real.
const imagesSchema = z.array(z.string());
const attributesSchema = z.record(z.string(), z.string());

export interface CategoryRef {
  readonly slug: string;
  readonly name: string;
}

export interface ProductSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly priceMinor: number;
  readonly currency: string;
  /** Path of the main image, served by the storefront. */
  readonly image: string;
  readonly category: CategoryRef;
}

export interface ProductDetail {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly images: string[];
  readonly attributes: Record<string, string>;
  readonly category: CategoryRef;
}

export const withCategory = { category: { select: { slug: true, name: true } } } satisfies Prisma.ProductInclude;
type ProductRow = Prisma.ProductGetPayload<{ include: typeof withCategory }>;

export function toDetail(row: ProductRow): ProductDetail {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    priceMinor: row.priceMinor,
    currency: row.currency,
    images: imagesSchema.parse(row.images),
    attributes: attributesSchema.parse(row.attributes),
    category: row.category,
  };
}

export function toSummary(row: ProductRow): ProductSummary {
  const images = imagesSchema.parse(row.images);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    priceMinor: row.priceMinor,
    currency: row.currency,
    image: images[0] ?? `/images/products/${row.slug}.svg`,
    category: row.category,
  };
}
