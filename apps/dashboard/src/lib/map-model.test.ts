import { describe, expect, it } from "vitest";
import type { GraphEdge, Metrics } from "~/telemetry/contract";
import { buildMap, type ProcessView, type TopologyView } from "./map-model";

const topology: TopologyView = {
  services: {
    product: { description: "Catalog.", dependsOn: [] },
    order: { description: "Checkout.", dependsOn: ["product", "payment"] },
    payment: { description: "Cards.", dependsOn: [] },
  },
  storefrontCalls: ["product", "order"],
};

const metrics = (requests: number, errorRate = 0): Metrics => ({
  requests,
  perSecond: requests / 60,
  errorRate,
  p50Ms: 2,
  p95Ms: 8,
  p99Ms: 9,
});
const edge = (source: string, target: string, m: Metrics): GraphEdge => ({ source, target, ...m });
const processes = (states: Record<string, string>): ProcessView[] => [
  ...Object.entries(states).map(([name, state]) => ({
    name,
    service: name,
    kind: name === "storefront" ? "storefront" : "service",
    state,
  })),
  { name: "telemetry", service: "telemetry", kind: "telemetry", state: "ready" },
  { name: "dashboard", service: "dashboard", kind: "dashboard", state: "ready" },
];
const allReady = processes({ storefront: "ready", product: "ready", order: "ready", payment: "ready" });

describe("buildMap in microservices mode", () => {
  it("draws the browser, the storefront, every service and each one's database, with the declared edges", () => {
    const map = buildMap({ mode: "microservices", topology, processes: allReady, graph: null });
    expect(map.nodes.map((node) => node.id)).toEqual([
      "browser",
      "order",
      "order/sqlite",
      "payment",
      "payment/sqlite",
      "product",
      "product/sqlite",
      "storefront",
    ]);
    expect(map.nodes.find((node) => node.id === "browser")?.kind).toBe("client");
    expect(map.nodes.find((node) => node.id === "order/sqlite")?.kind).toBe("database");
    expect(map.edges.map((e) => e.id)).toEqual([
      "browser->storefront",
      "order->order/sqlite",
      "order->payment",
      "order->product",
      "payment->payment/sqlite",
      "product->product/sqlite",
      "storefront->order",
      "storefront->product",
    ]);
    expect(map.edges.every((e) => e.metrics === null)).toBe(true);
    // The observers are not part of the shop.
    expect(map.nodes.some((node) => node.id === "telemetry" || node.id === "dashboard")).toBe(false);
  });

  it("adds whatever the telemetry saw, unknown OpenTelemetry services included, with their traffic", () => {
    const graph = {
      nodes: [
        { id: "order", kind: "service" as const, metrics: metrics(10) },
        { id: "recommender", kind: "service" as const, metrics: metrics(4) },
        { id: "recommender/postgresql", kind: "database" as const, metrics: metrics(4) },
      ],
      edges: [
        edge("storefront", "order", metrics(10)),
        edge("storefront", "recommender", metrics(4)),
        edge("recommender", "recommender/postgresql", metrics(4)),
      ],
    };
    const map = buildMap({ mode: "microservices", topology, processes: allReady, graph });
    const recommender = map.nodes.find((node) => node.id === "recommender");
    expect(recommender).toMatchObject({ kind: "service", status: "unknown", description: null, processName: null });
    expect(map.nodes.find((node) => node.id === "recommender/postgresql")?.kind).toBe("database");
    expect(map.edges.find((e) => e.id === "storefront->order")?.metrics?.requests).toBe(10);
    expect(map.edges.find((e) => e.id === "storefront->recommender")?.metrics?.requests).toBe(4);
  });

  it("maps process states to statuses: ready up, starting starting, stopped/crashed/backoff down", () => {
    const map = buildMap({
      mode: "microservices",
      topology,
      processes: processes({ storefront: "ready", product: "starting", order: "crashed", payment: "backoff" }),
      graph: null,
    });
    const status = (id: string) => map.nodes.find((node) => node.id === id)?.status;
    expect(status("storefront")).toBe("up");
    expect(status("product")).toBe("starting");
    expect(status("order")).toBe("down");
    expect(status("payment")).toBe("down");
    expect(status("browser")).toBe("up");
    // A database lives and dies with its service.
    expect(status("order/sqlite")).toBe("down");
    expect(status("product/sqlite")).toBe("starting");
    expect(
      buildMap({ mode: "microservices", topology, processes: processes({ product: "stopped" }), graph: null }).nodes.find(
        (n) => n.id === "product",
      )?.status,
    ).toBe("down");
  });

  it("marks a running node degraded above 20 % errors over the window, not at 20 %", () => {
    const graph = (rate: number) => ({
      nodes: [{ id: "payment", kind: "service" as const, metrics: metrics(50, rate) }],
      edges: [],
    });
    const status = (rate: number) =>
      buildMap({ mode: "microservices", topology, processes: allReady, graph: graph(rate) }).nodes.find((n) => n.id === "payment")
        ?.status;
    expect(status(0.2)).toBe("up");
    expect(status(0.21)).toBe("degraded");
    // Down stays down whatever the errors.
    const down = buildMap({ mode: "microservices", topology, processes: processes({ payment: "stopped" }), graph: graph(0.9) });
    expect(down.nodes.find((n) => n.id === "payment")?.status).toBe("down");
  });

  it("uses the incoming edges for a node's metrics when the telemetry gives none", () => {
    const graph = { nodes: [], edges: [edge("order", "payment", metrics(30, 0.5)), edge("cart", "payment", metrics(10, 0.1))] };
    const payment = buildMap({ mode: "microservices", topology, processes: allReady, graph }).nodes.find(
      (n) => n.id === "payment",
    );
    expect(payment?.metrics?.requests).toBe(40);
    expect(payment?.metrics?.errorRate).toBeCloseTo(0.4);
    expect(payment?.status).toBe("degraded");
  });

  it("shows every status as unknown when the supervisor does not answer, and keeps the map", () => {
    const map = buildMap({ mode: "microservices", topology, processes: null, graph: null });
    expect(map.nodes.length).toBe(8);
    for (const node of map.nodes) expect(node.status).toBe(node.kind === "client" ? "up" : "unknown");
  });
});

describe("buildMap in monolith mode", () => {
  it("draws the browser, the storefront, the monolith and its database", () => {
    const map = buildMap({
      mode: "monolith",
      topology,
      processes: [
        { name: "monolith", service: "monolith", kind: "monolith", state: "ready" },
        { name: "storefront", service: "storefront", kind: "storefront", state: "ready" },
      ],
      graph: null,
    });
    expect(map.nodes.map((node) => node.id)).toEqual(["browser", "monolith", "monolith/sqlite", "storefront"]);
    expect(map.edges.map((e) => e.id)).toEqual(["browser->storefront", "monolith->monolith/sqlite", "storefront->monolith"]);
    expect(map.nodes.find((node) => node.id === "monolith")).toMatchObject({ status: "up", processName: "monolith" });
  });
});
