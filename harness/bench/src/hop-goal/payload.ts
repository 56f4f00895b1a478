/**
 * The one answer every variant of the hop benchmark sends: a catalog product as the product service
 * answers it, padded to 1 KB of JSON, so the raw server, gRPC and tRPC carry the same bytes' worth.
 */
import { fixtures, products } from "@microshop/seed-data/catalog";

export interface BenchProduct {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly categorySlug: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly images: readonly string[];
}

const targetBytes = 1_024;

function product(): BenchProduct {
  const seed = products.find((p) => p.slug === fixtures.inStockSlug) ?? products[0];
  if (!seed) throw new Error("the seed catalog is empty");
  const base: BenchProduct = {
    id: seed.id,
    slug: seed.slug,
    name: seed.name,
    description: seed.description,
    priceMinor: seed.priceMinor,
    currency: seed.currency,
    categorySlug: seed.categorySlug,
    attributes: seed.attributes,
    images: [`/images/products/${seed.slug}.svg`, `/images/products/${seed.slug}-detail.svg`],
  };
  const missing = targetBytes - JSON.stringify(base).length;
  // Padded with dots: plain ASCII, so the JSON's length is its size in bytes.
  return missing > 0 ? { ...base, description: base.description.padEnd(base.description.length + missing, ".") } : base;
}

/** The 1 KB product every variant answers. */
export const benchProduct: BenchProduct = product();

/** What the caller sends: the slug it asks for. */
export interface BySlugInput {
  readonly slug: string;
}
