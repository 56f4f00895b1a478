/**
 * The demo catalog, one list that two services seed from: the product service takes the product
 * facts, the inventory service the starting stock. Ids are fixed so the two agree without either
 * reading the other's database.
 */

export interface SeedCategory {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
}

export interface SeedProduct {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly priceMinor: number;
  readonly currency: "USD";
  readonly categorySlug: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Units on hand when the inventory service seeds an empty database. */
  readonly initialStock: number;
}

export const categories: readonly SeedCategory[] = [
  { id: "cat_kitchen", slug: "kitchen", name: "Kitchen", description: "Tools and tableware for everyday cooking." },
];

export const products: readonly SeedProduct[] = [
  {
    id: "prod_enamel-kettle",
    slug: "enamel-kettle",
    name: "Enamel Kettle",
    description: "A 1.5 litre stovetop kettle with a stay-cool handle.",
    priceMinor: 4900,
    currency: "USD",
    categorySlug: "kitchen",
    attributes: { colour: "Sage", capacity: "1.5 l" },
    initialStock: 40,
  },
];

/** Products with a known stock situation, for tests and demos. */
export const fixtures = {
  inStockSlug: "enamel-kettle",
  lowStockSlug: "enamel-kettle",
  outOfStockSlug: "enamel-kettle",
} as const;
