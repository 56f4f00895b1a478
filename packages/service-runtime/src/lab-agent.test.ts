// The lab agent against a real feed: tRPC over HTTP, service tokens checked for the feed's audience.
import { credentialsOf, trustedKeysFor } from "@microshop/service-auth";
import { createServiceResolver } from "@microshop/service-client/resolver";
import { createCallTallies } from "@microshop/service-client/tallies";
import { faultOf } from "@microshop/lab/faults";
import type { FeedReport, FeedSource, LabFeed } from "@microshop/lab/feed";
import { afterEach, describe, expect, it } from "vitest";
import { waitBudgetMs } from "@microshop/build-config/vitest";
import { startLabAgent, type AgentLogger, type LabAgent } from "./lab-agent";
import { labFeedMount, FEED_PATH } from "./lab-feed";
import { createLogger } from "./logger";
import { startServer, type RunningServer } from "./server";

const root = "a-stack-root-secret-of-at-least-32-characters";
const silent = createLogger("lab-agent-test", "silent");
const servers: RunningServer[] = [];
const agents: LabAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const budget = { timeout: waitBudgetMs, interval: 50 };

const slow = faultOf({ target: { kind: "edge", caller: "cart", callee: "product" }, latencyMs: 300 }, "f-1");

/** A feed that answers `feed` and keeps every report with the caller it was verified as. */
function fakeSource(feed: LabFeed) {
  const reports: Array<{ report: FeedReport; caller: string }> = [];
  const source: FeedSource & { feed: LabFeed } = {
    feed,
    sync(report, caller) {
      reports.push({ report, caller });
      return source.feed;
    },
  };
  return { source, reports };
}

async function serveFeed(source: FeedSource, port = 0): Promise<RunningServer> {
  const server = await startServer({
    name: "supervisor",
    host: "127.0.0.1",
    port,
    logger: silent,
    shutdownTimeoutMs: 1_000,
    mounts: [labFeedMount({ source, trustedKeys: trustedKeysFor(root, ["cart"]) })],
  });
  servers.push(server);
  return server;
}

function recordingLogger() {
  const lines: Array<{ level: "info" | "warn"; message: string }> = [];
  const logger: AgentLogger = {
    info: (_details, message) => void lines.push({ level: "info", message }),
    warn: (_details, message) => void lines.push({ level: "warn", message }),
  };
  return { logger, lines };
}

function agentFor(feedUrl: string, options: { logger?: AgentLogger; caller?: string } = {}) {
  const resolver = createServiceResolver({});
  const tallies = createCallTallies();
  const agent = startLabAgent({
    feedUrl,
    instance: "cart-2",
    credentials: credentialsOf(root, options.caller ?? "cart"),
    resolver,
    tallies,
    logger: options.logger ?? silent,
  });
  agents.push(agent);
  return { agent, resolver, tallies };
}

const productEndpoints = [
  { url: "http://127.0.0.1:4101/trpc", instance: "product-1", version: "1.0.0", weight: 90 },
  { url: "http://127.0.0.1:4102/trpc", instance: "product-2", version: "1.1.0", weight: 10 },
];

describe("the lab agent", () => {
  it("reports its revision and its calls, signed as its process for the feed, and applies the answer", async () => {
    const { source, reports } = fakeSource({ revision: 3, endpoints: { product: productEndpoints }, faults: [slow] });
    const server = await serveFeed(source);
    const { agent, resolver, tallies } = agentFor(`${server.url}${FEED_PATH}`);

    await expect.poll(() => agent.revision, budget).toBe(3);
    expect(agent.faults()).toEqual([slow]);
    expect(resolver.endpoints("product").map((endpoint) => [endpoint.instance, endpoint.weight])).toEqual([
      ["product-1", 90],
      ["product-2", 10],
    ]);
    // Services the feed leaves out keep the addresses they had.
    expect(resolver.addresses("inventory")).toEqual(["http://127.0.0.1:4002/trpc"]);

    expect(reports[0]).toEqual({ caller: "cart", report: { instance: "cart-2", revision: -1, calls: [] } });

    tallies.record("product", "product-1", true);
    tallies.record("product", "product-1", false);
    await expect
      .poll(() => reports.find(({ report }) => report.calls.length > 0)?.report, budget)
      .toEqual({
        instance: "cart-2",
        revision: 3,
        calls: [{ callee: "product", instance: "product-1", ok: 1, failed: 1 }],
      });
    // Counted once: the reports after it start from zero.
    await expect
      .poll(() => reports.length, budget)
      .toBeGreaterThan(reports.findIndex(({ report }) => report.calls.length > 0) + 1);
    expect(reports.flatMap(({ report }) => report.calls)).toHaveLength(1);
  });

  it("follows a change of the feed within a couple of intervals", async () => {
    const { source } = fakeSource({ revision: 1, endpoints: {}, faults: [slow] });
    const server = await serveFeed(source);
    const { agent, resolver } = agentFor(`${server.url}${FEED_PATH}`);
    await expect.poll(() => agent.revision, budget).toBe(1);
    source.feed = { revision: 2, endpoints: { product: productEndpoints.slice(1) }, faults: [] };
    await expect.poll(() => agent.revision, budget).toBe(2);
    expect(agent.faults()).toEqual([]);
    expect(resolver.addresses("product")).toEqual(["http://127.0.0.1:4102/trpc"]);
  });

  it("is refused by a feed that checks tokens when it signs as a process outside the stack", async () => {
    const { source, reports } = fakeSource({ revision: 1, endpoints: {}, faults: [slow] });
    const server = await serveFeed(source);
    const { logger, lines } = recordingLogger();
    const { agent } = agentFor(`${server.url}${FEED_PATH}`, { logger, caller: "order" });
    await expect.poll(() => lines.length, budget).toBeGreaterThan(0);
    expect(lines[0]?.message).toMatch(/lab feed unreachable/);
    expect(reports).toEqual([]);
    expect(agent.revision).toBe(-1);
  });

  it("survives the feed going away: logs it once, keeps the last faults and the calls to report, and recovers", async () => {
    const { source, reports } = fakeSource({ revision: 5, endpoints: {}, faults: [slow] });
    const first = await serveFeed(source);
    const { logger, lines } = recordingLogger();
    const { agent, tallies } = agentFor(`${first.url}${FEED_PATH}`, { logger });
    await expect.poll(() => agent.revision, budget).toBe(5);
    await first.close();

    tallies.record("product", "product-2", false);
    await expect.poll(() => lines.filter((line) => line.level === "warn").length, budget).toBe(1);
    const seen = reports.length;
    // Several more intervals down: still one warning, the faults as last known.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(lines.filter((line) => line.level === "warn")).toHaveLength(1);
    expect(agent.faults()).toEqual([slow]);

    source.feed = { revision: 6, endpoints: {}, faults: [] };
    await serveFeed(source, first.port);
    await expect.poll(() => agent.revision, budget).toBe(6);
    expect(lines.at(-1)).toEqual({ level: "info", message: "lab feed reachable again" });
    expect(reports.slice(seen).flatMap(({ report }) => report.calls)).toEqual([
      { callee: "product", instance: "product-2", ok: 0, failed: 1 },
    ]);
  });

  it("stops reporting once stopped", async () => {
    const { source, reports } = fakeSource({ revision: 1, endpoints: {}, faults: [] });
    const server = await serveFeed(source);
    const { agent } = agentFor(`${server.url}${FEED_PATH}`);
    await expect.poll(() => agent.revision, budget).toBe(1);
    await agent.stop();
    const seen = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reports).toHaveLength(seen);
  });
});
