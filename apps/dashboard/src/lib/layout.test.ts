import { describe, expect, it } from "vitest";
import { computeLayout, layoutFor, layoutKey, type LayoutEdge, type LayoutNode } from "./layout";

const nodes: LayoutNode[] = [
  { id: "browser", kind: "client" },
  { id: "storefront", kind: "service" },
  { id: "order", kind: "service" },
  { id: "payment", kind: "service" },
  { id: "product", kind: "service" },
  { id: "order/sqlite", kind: "database" },
  { id: "payment/sqlite", kind: "database" },
  { id: "product/sqlite", kind: "database" },
];
const edges: LayoutEdge[] = [
  { source: "browser", target: "storefront" },
  { source: "storefront", target: "order" },
  { source: "storefront", target: "product" },
  { source: "order", target: "payment" },
  { source: "order", target: "product" },
  { source: "order", target: "order/sqlite" },
  { source: "payment", target: "payment/sqlite" },
  { source: "product", target: "product/sqlite" },
];

const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe("computeLayout", () => {
  it("gives the same positions whatever order the nodes and edges arrive in", () => {
    const reference = computeLayout(nodes, edges);
    for (const seed of [1, 7, 42, 1234]) {
      expect(computeLayout(shuffled(nodes, seed), shuffled(edges, seed + 1))).toEqual(reference);
    }
  });

  it("runs left to right: browser, storefront, services, then every database in the last column", () => {
    const positions = computeLayout(nodes, edges);
    const x = (id: string) => positions.get(id)!.x;
    expect(x("browser")).toBeLessThan(x("storefront"));
    expect(x("storefront")).toBeLessThan(x("order"));
    expect(x("order")).toBeLessThan(x("payment"));
    const databaseXs = ["order/sqlite", "payment/sqlite", "product/sqlite"].map(x);
    expect(new Set(databaseXs).size).toBe(1);
    for (const id of ["browser", "storefront", "order", "payment", "product"]) expect(x(id)).toBeLessThan(databaseXs[0]!);
  });

  it("never puts two nodes on top of each other", () => {
    const positions = [...computeLayout(nodes, edges).values()];
    const keys = positions.map((p) => `${p.x},${p.y}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("ignores edges to nodes it was not given", () => {
    expect(() => computeLayout(nodes, [...edges, { source: "order", target: "ghost" }])).not.toThrow();
  });
});

describe("layoutFor", () => {
  it("keys on the set of nodes and edges, not their order or metrics", () => {
    expect(layoutKey(shuffled(nodes, 3), shuffled(edges, 4))).toBe(layoutKey(nodes, edges));
    expect(layoutFor(shuffled(nodes, 5), edges)).toBe(layoutFor(nodes, edges));
    expect(layoutKey(nodes.slice(1), edges)).not.toBe(layoutKey(nodes, edges));
  });
});
